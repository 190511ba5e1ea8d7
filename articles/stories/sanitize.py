"""The allow-list every article body passes through before it is stored."""

import posixpath
import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

BODY_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "em",
    "strong",
    "figure",
    "figcaption",
    "img",
}
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    # References to library photos and galleries, expanded when the page is rendered
    # (stories/body_media.py); nothing else of a figure's attributes is kept.
    "figure": {"data-photo-id", "data-gallery-id"},
}
BODY_URL_SCHEMES = {"http", "https", "mailto"}

# nh3 writes attributes double-quoted with `>` escaped, so this matches whole tags only.
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def is_own_media(url):
    """Whether `url` points into the project's media (MEDIA_URL, relative or on its host).

    Anything else in a body would load a third-party image: a tracker, mixed content, or a
    picture that skipped the photo desk's rights and credit checks.
    """
    media_url = settings.MEDIA_URL
    media = urlsplit(media_url if media_url.startswith(("/", "http")) else "/" + media_url)
    source = urlsplit(url.strip())
    if (source.scheme, source.netloc) != (media.scheme, media.netloc):
        return False
    # Normalised, so /media/../admin/ does not pass as media.
    path = posixpath.normpath(source.path)
    return path.startswith(media.path.rstrip("/") + "/")


def _keep_attribute(tag, attribute, value):
    if tag == "img" and attribute == "src" and not is_own_media(value):
        return None
    return value


_body_cleaner = nh3.Cleaner(
    tags=BODY_TAGS,
    attributes=BODY_ATTRIBUTES,
    url_schemes=BODY_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    attribute_filter=_keep_attribute,
)


def sanitize_body(html: str) -> str:
    """Return `html` with everything outside the body allow-list removed.

    Scripts, styles and iframes go with their content; event handlers, style
    attributes and `javascript:`/`data:` URLs are dropped, and so are images from
    anywhere but the project's media.
    """
    return _IMG_WITHOUT_SRC.sub("", _body_cleaner.clean(html or "")).strip()
