"""Surrogate keys: the names a cache in front (Varnish with xkey) files each public page under.

Every public response carries one `xkey` header listing, space-separated, the key of every
object whose data the page shows. When something changes, the app purges its keys
(articles/public/purge.py) and every stored page that showed it is dropped at once.

The vocabulary (docs/deploy.md, "The key header"):

    article-<id>      a story: its own page and every card, feed item or list showing it
    section-<id>      a section's pages
    tag-<id>          a tag's pages, and story pages listing the tag
    contributor-<id>  a person's pages, and pages showing their byline
    photo-<id>        pages showing the photo
    gallery-<id>      pages showing the gallery (in a body or as a lead gallery)
    home feeds sitemaps corrections search api    one page type each

Keys are built only from what a view has fetched already (columns and prefetched bylines
and tags), so collecting them never adds a query.
"""

HEADER = "xkey"

HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
CORRECTIONS = "corrections"
SEARCH = "search"
API = "api"

# Pages whose content changes whenever a story goes live or stops being live.
LISTING_PAGES = (HOME, FEEDS, SITEMAPS, SEARCH, CORRECTIONS)

_REQUEST_ATTRIBUTE = "surrogate_keys"


def article_key(pk):
    return f"article-{pk}"


def section_key(pk):
    return f"section-{pk}"


def tag_key(pk):
    return f"tag-{pk}"


def contributor_key(pk):
    return f"contributor-{pk}"


def photo_key(pk):
    return f"photo-{pk}"


def gallery_key(pk):
    return f"gallery-{pk}"


def media_keys(media):
    """Keys for the photos and galleries a story's body and lead gallery show (`BodyMedia`)."""
    return [photo_key(pk) for pk in sorted(media.photo_ids())] + [
        gallery_key(pk) for pk in media.gallery_ids()
    ]


def card_keys(article):
    """Keys for a story card: the story, its section, the people in its byline, its lead photo.

    Reads `article.bylines.all()`, prefetched with the card (`card_prefetches`).
    """
    keys = [article_key(article.pk), section_key(article.section_id)]
    keys += [contributor_key(byline.contributor_id) for byline in article.bylines.all()]
    if article.lead_photo_id:
        keys.append(photo_key(article.lead_photo_id))
    return keys


def article_keys(article):
    """Keys for one story as its own page shows it: its card's keys and its tags."""
    return card_keys(article) + [tag_key(tag.pk) for tag in article.tags.all()]


def cards_keys(articles):
    """Keys for a list of story cards."""
    return [key for article in articles for key in card_keys(article)]


def add_keys(request, keys):
    """Note keys for the response to `request`; `public_page` writes them into the header."""
    found = getattr(request, _REQUEST_ATTRIBUTE, None)
    if found is None:
        found = set()
        setattr(request, _REQUEST_ATTRIBUTE, found)
    found.update(keys)


def noted_keys(request):
    return getattr(request, _REQUEST_ATTRIBUTE, set())


def set_header(response, request, keys=()):
    """Write the keys noted for `request`, plus `keys`, into the response's key header."""
    found = set(keys) | getattr(request, _REQUEST_ATTRIBUTE, set())
    if found:
        response[HEADER] = " ".join(sorted(found))


def set_keys(response, keys):
    """Write `keys` into the response's key header, once each (the API sets its own)."""
    response[HEADER] = " ".join(sorted(set(keys)))
    return response
