"""Photos on pages: `{% load photos %}`.

Renditions are read only through `photo.renditions.all()` and picked in Python, so a list
page that prefetches `lead_photo__renditions` renders any number of photos without a query
per photo. A photo whose usage rights have expired, or whose files are still being made,
renders as nothing (staff pages show a "Processing…" placeholder instead).
"""

from html import escape

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..models import Rendition
from ..stories.body_media import attach_media, expand_body_media, render_gallery, story_photos

register = template.Library()


def _public(photo):
    return photo is not None and photo.is_public


def _renditions(photo, *, format=Rendition.Format.JPEG, square=False):
    return photo.renditions_of(format=format, square=square)


def _not_ready(photo, css_class, kind):
    """For staff pages: a photo whose files the task worker has not written (or could not).

    photo-status.js swaps a processing placeholder for the picture once it is ready.
    """
    if photo.status == photo.Status.FAILED:
        return format_html('<span class="photo-pending {}">Could not be processed</span>', css_class)
    return format_html(
        '<span class="photo-pending {}" data-photo-status="{}" data-photo-kind="{}" role="status">'
        "Processing…</span>",
        css_class,
        photo.pk,
        kind,
    )


# Every page shows several photos, each with a dozen renditions: these build their markup as
# plain strings, escaping each attribute value once, rather than through format_html.


def _srcset(renditions):
    """The `srcset` value (not yet escaped)."""
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def _attributes(**attributes):
    """HTML attributes in order, escaped, leaving out those that are None (`class_` gives `class`)."""
    shown = ((name.rstrip("_"), value) for name, value in attributes.items() if value is not None)
    return mark_safe("".join(f' {name}="{escape(str(value))}"' for name, value in shown))


@register.simple_tag
def responsive_photo(photo, sizes="100vw", lazy=True, css_class="", alt=None, show_expired=False):
    """`<picture>` with a WebP source and a JPEG `<img srcset>`; lead photos pass lazy=False.

    `show_expired` is for the photo desk only, where staff must see what they are flagging.
    """
    if photo is None or not (show_expired or photo.is_public):
        return ""
    if not photo.is_ready:
        return _not_ready(photo, css_class, "responsive")
    alt = photo.alt_text if alt is None else alt
    loading = {"loading": "lazy"} if lazy else {"fetchpriority": "high"}
    jpegs = _renditions(photo)
    if not jpegs:
        # Renditions not made yet (e.g. regenerate_renditions --force is running): the master.
        img = format_html(
            "<img{}>",
            _attributes(
                src=photo.image.url,
                width=photo.width,
                height=photo.height,
                alt=alt,
                **loading,
                decoding="async",
                class_=css_class or None,
            ),
        )
        return format_html("<picture>{}</picture>", img)
    fallback = jpegs[(len(jpegs) - 1) // 2]
    webps = _renditions(photo, format=Rendition.Format.WEBP)
    source = f'<source type="image/webp"{_attributes(srcset=_srcset(webps), sizes=sizes)}>' if webps else ""
    img = "<img{}>".format(
        _attributes(
            src=fallback.file.url,
            srcset=_srcset(jpegs),
            sizes=sizes,
            width=fallback.width,
            height=fallback.height,
            alt=alt,
            **loading,
            decoding="async",
            class_=css_class or None,
        ),
    )
    return mark_safe(f"<picture>{source}{img}</picture>")


@register.simple_tag
def square_photo(photo, size=160, css_class="", alt=None, show_expired=False):
    """A square thumbnail cropped around the focal point, `size` CSS pixels wide."""
    if photo is None or not (show_expired or photo.is_public):
        return ""
    if not photo.is_ready:
        return _not_ready(photo, css_class, "square")
    size = int(size)
    alt = photo.alt_text if alt is None else alt
    squares = _renditions(photo, square=True)
    if not squares:
        return format_html(
            "<img{}>",
            _attributes(
                src=photo.image.url,
                width=size,
                height=size,
                alt=alt,
                loading="lazy",
                decoding="async",
                class_=f"photo-square {css_class}".strip(),
            ),
        )
    chosen = photo.rendition(size, square=True)
    return format_html(
        "<img{}>",
        _attributes(
            src=chosen.file.url,
            srcset=_srcset(squares) if len(squares) > 1 else None,
            sizes=f"{size}px" if len(squares) > 1 else None,
            width=size,
            height=size,
            alt=alt,
            loading="lazy",
            decoding="async",
            class_=css_class or None,
        ),
    )


@register.filter
def rendition(photo, width):
    """The JPEG rendition closest to at least `width` pixels wide, or None."""
    if not _public(photo):
        return None
    return photo.rendition(int(width))


@register.filter
def rendition_url(photo, width):
    """URL of `photo|rendition:width` (the master when no rendition exists), or ""."""
    if not _public(photo):
        return ""
    chosen = rendition(photo, width)
    return chosen.file.url if chosen is not None else photo.image.url


@register.simple_tag
def newsroom_name():
    """The newsroom's name for the desk pages, where Django's login view reuses `site_name`."""
    return settings.NEWSROOM_SITE_NAME


@register.filter(is_safe=True)
def with_body_media(body):
    """The story body with its library photos and galleries in place (a few queries per page,
    however many it holds; see stories/body_media.py)."""
    return expand_body_media(body)


def _media(article):
    if not hasattr(article, "media"):
        attach_media([article])
    return article.media


@register.filter(is_safe=True)
def story_body(article):
    """`article`'s body with its photos and galleries in place, from `attach_media` if the view
    called it, else fetched here."""
    return expand_body_media(article.body, _media(article))


@register.filter
def share_photo(article):
    """The picture that stands for the story when it is shared: the lead photo, else the first
    photo readers see (a picture story may have only a lead gallery), else None."""
    return next(iter(story_photos(article)), None)


@register.simple_tag
def lead_gallery(article):
    """The story's lead gallery as readers see it, or nothing."""
    if not article.lead_gallery_id:
        return ""
    return render_gallery(_media(article).lead_gallery, lead=True)
