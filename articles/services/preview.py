"""Previews of unpublished stories: for staff, and signed share links for outside review."""

import datetime
import secrets

from django.core import signing
from django.urls import reverse

from ..models import Article
from . import publishing

SHARE_LINK_HOURS = 48
_SALT = "articles.preview.share-link"


def can_preview(user, article):
    """Editors see every story; reporters see the ones they wrote or are bylined on."""
    if not (user.is_authenticated and user.is_staff and user.has_perm("articles.view_article")):
        return False
    if publishing.can_publish(user):
        return True
    return article.created_by_id == user.pk or article.bylines.filter(contributor__user=user).exists()


def can_share(user, article):
    """Who may hand out a login-free link: editors, and the story's writers, while it can be shown.

    A share link lets anyone read the story, so being able to open it in the admin (photo staff
    and reporters can view every story) is not enough, and a photographer bylined on a story
    previews it but does not send it out for review.
    """
    return (
        article.status != Article.Status.WITHDRAWN
        and user.has_perm("articles.change_article")
        and can_preview(user, article)
    )


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
