"""Stories as IPTC ninjs 2.1 dictionaries, for the read API and for webhook deliveries.

Everything is read through `.all()` on what `Article.objects.published().for_api()`-style
querysets prefetch (`story_queryset`), so a page of stories costs the same few queries
however many stories, bylines, tags, corrections and renditions it holds.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import get_text_list

from ..models import Article
from .body_media import labelled_photos

NINJS_SCHEMA = "https://iptc.org/std/ninjs/ninjs-schema_2.1.json"

CONTENT_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp"}


def story_queryset():
    """Published stories with everything their ninjs form shows, in a constant number of queries."""
    return Article.objects.published().for_article_page()


def story_uri(base_url, article_id):
    return urljoin(base_url, reverse("api-v1:story", kwargs={"story_id": article_id}))


def story_to_ninjs(article, *, base_url):
    """`article` as a ninjs 2.1 object; `base_url` (e.g. https://news.example.org/) makes links absolute."""

    def absolute(url):
        return urljoin(base_url, url)

    headlines = [{"role": "main", "contenttype": "text/plain", "value": article.headline}]
    if article.kicker:
        headlines.append({"role": "kicker", "contenttype": "text/plain", "value": article.kicker})
    descriptions = []
    if article.dek:
        descriptions.append({"role": "summary", "contenttype": "text/plain", "value": article.dek})
    text = strip_tags(article.body)
    printed = article.authors()
    return {
        "uri": story_uri(base_url, article.pk),
        "standard": {"name": "ninjs", "version": "2.1", "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        "firstcreated": article.first_published_at or article.publish_at,
        "versioncreated": article.reader_modified_at,
        "pubstatus": "usable",
        "language": settings.LANGUAGE_CODE,
        "headlines": headlines,
        "descriptions": descriptions,
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": len(text),
                "wordcount": len(text.split()),
                "value": article.body,
            }
        ],
        "by": f"By {get_text_list([person.name for person in printed], 'and')}" if printed else "",
        "located": article.dateline,
        "people": [
            {
                "name": byline.contributor.name,
                "rel": byline.role,
                "uri": absolute(byline.contributor.get_absolute_url()),
                "literal": byline.contributor.slug,
            }
            for byline in article.bylines.all()
        ],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "uri": absolute(article.section.get_absolute_url()),
                "literal": article.section.slug,
            },
            *(
                {
                    "name": tag.name,
                    "rel": "tag",
                    "uri": absolute(reverse("articles:tag", kwargs={"slug": tag.slug})),
                    "literal": tag.slug,
                }
                for tag in article.tags.all()
            ),
        ],
        "altids": [{"role": "newsroom", "value": str(article.pk)}]
        + ([{"role": "wire", "value": article.external_id}] if article.external_id else []),
        "associations": _pictures(article, absolute),
        "id": article.pk,
        "url": absolute(article.get_absolute_url()),
        "corrections": [correction_to_dict(correction) for correction in article.corrections.all()],
    }


def _pictures(article, absolute):
    """Every photo readers see in the story (`labelled_photos`); rights-expired ones left out."""
    return [_picture(role, photo, caption, absolute) for role, photo, caption in labelled_photos(article)]


def _picture(role, photo, caption, absolute):
    descriptions = []
    if caption:
        descriptions.append({"role": "caption", "contenttype": "text/plain", "value": caption})
    if photo.alt_text:
        descriptions.append({"role": "alt", "contenttype": "text/plain", "value": photo.alt_text})
    renditions = sorted(photo.renditions.all(), key=lambda r: (r.square, r.format, r.width))
    return {
        "name": role,
        "uri": absolute(photo.image.url),
        "type": "picture",
        "altids": [{"role": "newsroom-photo", "value": str(photo.pk)}],
        "descriptions": descriptions,
        "by": photo.photographer,
        "copyrightnotice": photo.copyright_notice,
        "creditline": photo.credit,
        "renditions": [
            {
                "name": f"{r.format}-{r.width}{'-square' if r.square else ''}",
                "href": absolute(r.file.url),
                "contenttype": CONTENT_TYPES.get(r.format, "application/octet-stream"),
                "width": r.width,
                "height": r.height,
            }
            for r in renditions
        ],
    }


def correction_to_dict(correction):
    return {
        "id": correction.pk,
        "kind": correction.kind,
        "label": correction.get_kind_display(),
        "text": correction.text,
        "created_at": correction.created_at,
    }
