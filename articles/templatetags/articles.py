"""Story furniture for the reader site: `{% load articles %}`.

Everything here reads only what the article page already fetched (bylines, tags,
corrections and lead-photo renditions are prefetched), so it adds no queries.
"""

import json
import re
from html import escape

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..stories import navigation
from ..stories.body_media import story_photos
from ..stories.dateline import remove_repeated_dateline

register = template.Library()

SHARE_IMAGE_WIDTH = 1280
PUBLISHER_LOGO = ("articles/img/logo.png", 600, 60)
# Inside <script>, "</script>" or "<!--" in a headline must not end the element early.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
_FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>")


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    """`url` as an absolute URL on this site (unchanged if already absolute, e.g. S3 media)."""
    if not url:
        return ""
    return context["request"].build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def section_menu(context, template_name, current_section=None):
    """A section menu of the header or footer, rendered once per process while the sections
    stand (stories/navigation.py)."""
    request = context.get("request")
    if request is None:  # a page rendered outside a request has no navigation
        return ""
    return mark_safe(navigation.menu(request, template_name, current_section or None))


@register.filter(is_safe=True)
def with_dateline(body, dateline):
    """The sanitised body with "WASHINGTON —" opening its first paragraph."""
    if not dateline:
        return mark_safe(body)
    # Stories saved before the admin removed a pasted dateline, or imported with one.
    body, _ = remove_repeated_dateline(body, dateline)
    label = format_html('<span class="dateline">{} —</span> ', dateline)
    match = _FIRST_PARAGRAPH.search(body)
    if match is None:
        return format_html("<p>{}</p>{}", label, mark_safe(body))
    # The body was cleaned against an allow-list on save, so it is safe to splice.
    return mark_safe(body[: match.end()] + label + body[match.end() :])


@register.filter
def updated_for_readers(article):
    """The public "Updated" time, or None when the story has not changed significantly."""
    updated = article.significantly_updated_at
    return updated if updated and article.publish_at and updated > article.publish_at else None


@register.filter
def authors(article):
    return article.authors()


def _iso(moment):
    """As the template's `|date:'c'` gave it: ISO 8601 in the site's time zone, or ""."""
    return timezone.localtime(moment).isoformat() if moment else ""


@register.simple_tag(takes_context=True)
def social_meta(context, article):
    """The Open Graph and Twitter card `<meta>` tags of a story page: what a shared link shows."""
    absolute = context["request"].build_absolute_uri
    title = article.seo_title or article.headline
    description = article.seo_description or article.dek
    photo = next(iter(story_photos(article)), None)  # the lead photo, else the first one shown
    image = photo.rendition(SHARE_IMAGE_WIDTH) if photo is not None and photo.is_public else None
    tags = [
        ("property", "og:site_name", settings.NEWSROOM_SITE_NAME),
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", article.canonical_url or absolute(article.get_absolute_url())),
    ]
    if image:
        tags += [
            ("property", "og:image", absolute(image.file.url)),
            ("property", "og:image:width", image.width),
            ("property", "og:image:height", image.height),
            ("property", "og:image:alt", photo.alt_text),
        ]
    tags += [
        ("property", "article:published_time", _iso(article.publish_at)),
        ("property", "article:modified_time", _iso(article.reader_modified_at)),
        ("property", "article:section", article.section.name),
        *(("property", "article:author", absolute(person.get_absolute_url())) for person in authors(article)),
        *(("property", "article:tag", tag.name) for tag in article.tags.all()),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    if image:
        tags += [
            ("name", "twitter:image", absolute(image.file.url)),
            ("name", "twitter:image:alt", photo.alt_text),
        ]
    meta = (f'<meta {kind}="{name}" content="{escape(str(value))}">' for kind, name, value in tags)
    return mark_safe("\n  ".join(meta))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A `<script type="application/ld+json">` describing the story as a schema.org NewsArticle."""
    request = context["request"]
    url = article.canonical_url or request.build_absolute_uri(article.get_absolute_url())
    logo_path, logo_width, logo_height = PUBLISHER_LOGO
    publisher = {
        "@type": "Organization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": request.build_absolute_uri("/"),
        "logo": {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(static(logo_path)),
            "width": logo_width,
            "height": logo_height,
        },
    }
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.seo_title or article.headline,
        "description": article.seo_description or article.dek,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.publish_at.isoformat(),
        "dateModified": article.reader_modified_at.isoformat(),
        "articleSection": article.section.name,
        # An unsigned story (e.g. a staff editorial) is credited to the publication.
        "author": [_author(request, person) for person in authors(article)] or [publisher],
        "publisher": publisher,
    }
    if article.dateline:
        data["dateline"] = article.dateline
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    # Every photo readers see: lead photo, lead gallery, inline photos, the body's galleries.
    images = []
    for photo in story_photos(article):
        if image := photo.rendition(SHARE_IMAGE_WIDTH):
            images.append(
                {
                    "@type": "ImageObject",
                    "url": request.build_absolute_uri(image.file.url),
                    "width": image.width,
                    "height": image.height,
                    **({"creditText": photo.credit} if photo.credit else {}),
                }
            )
    if images:
        data["image"] = images
    corrections = [
        {
            "@type": "CorrectionComment",
            "text": f"{correction.get_kind_display()}: {correction.text}",
            "datePublished": correction.created_at.isoformat(),
        }
        for correction in article.corrections.all()
    ]
    if corrections:
        data["correction"] = corrections
    payload = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _author(request, contributor):
    return {
        "@type": "Organization" if contributor.is_organisation else "Person",
        "name": contributor.name,
        "url": request.build_absolute_uri(contributor.get_absolute_url()),
    }
