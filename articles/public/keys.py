"""Surrogate keys: the names a cache in front of the site uses to purge what shows a thing.

Every public response lists, in its `xkey` header, a key for each thing it shows. When a
story changes, the purge side bans its keys, so every page, feed and API answer that showed
it leaves the cache at once. The vocabulary is fixed and shared with the purge side:

    article-<id>  section-<id>  contributor-<id>  tag-<id>  home  feeds  sitemaps  api
"""

HEADER = "xkey"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
API = "api"


def article_keys(article):
    """The keys of everything a rendering of `article` shows: itself, its section, bylines and tags.

    Reads `bylines` and `tags` through `.all()`, so prefetched stories cost no queries.
    """
    keys = [f"article-{article.pk}", f"section-{article.section_id}"]
    keys += [f"contributor-{byline.contributor_id}" for byline in article.bylines.all()]
    keys += [f"tag-{tag.pk}" for tag in article.tags.all()]
    return keys


def section_key(section):
    return f"section-{section.pk}"


def contributor_key(contributor):
    return f"contributor-{contributor.pk}"


def tag_key(tag):
    return f"tag-{tag.pk}"


def header_value(keys):
    """The keys once each, in first-seen order, space-separated as Varnish's xkey module reads them."""
    return " ".join(dict.fromkeys(keys))


def set_keys(response, keys):
    response[HEADER] = header_value(keys)
    return response
