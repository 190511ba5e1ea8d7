"""Previews of unpublished stories: for staff, and signed share links for outside review."""

import datetime
import secrets

from django.core import signing
from django.urls import reverse

from ..models import Article
from . import workflow

SHARE_LINK_HOURS = 48
_SALT = "articles.preview.share-link"


def can_preview(user, article):
    """Editors see every story; reporters see the ones they wrote or are bylined on."""
    if not (user.is_authenticated and user.is_staff and user.has_perm("articles.view_article")):
        return False
    if workflow.can_publish(user):
        return True
    return article.created_by_id == user.pk or article.bylines.filter(contributor__user=user).exists()


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
