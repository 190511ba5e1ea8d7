"""The allow-list every article body passes through before it is stored."""

import nh3

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

_body_cleaner = nh3.Cleaner(
    tags=BODY_TAGS,
    attributes=BODY_ATTRIBUTES,
    url_schemes=BODY_URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_body(html: str) -> str:
    """Return `html` with everything outside the body allow-list removed.

    Scripts, styles and iframes go with their content; event handlers, style
    attributes and `javascript:`/`data:` URLs are dropped.
    """
    return _body_cleaner.clean(html or "").strip()
