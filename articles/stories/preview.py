"""Previews of unpublished stories: for staff, and signed share links for outside review."""

import datetime
import secrets

from django.core import signing
from django.urls import reverse

from ..models import Article

SHARE_LINK_HOURS = 48
# Every preview: never kept by a browser or a shared cache, never indexed.
PREVIEW_HEADERS = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow"}
_SALT = "articles.preview.share-link"


def share_url(article):
    token = signing.dumps({"id": article.pk, "key": article.preview_key}, salt=_SALT, compress=True)
    return reverse("articles:shared_preview", args=[token])


def article_for_share_token(token):
    """The story a share link points to, or None if the link is forged, expired or revoked."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=datetime.timedelta(hours=SHARE_LINK_HOURS))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    # Revoking changes preview_key, so older links no longer match; withdrawn stories stay down.
    return (
        Article.objects.exclude(status=Article.Status.WITHDRAWN)
        .filter(pk=data.get("id"), preview_key=data.get("key"))
        .first()
    )


def revoke_share_links(article):
    article.preview_key = secrets.token_hex(16)
