"""Moving a story between states. Admin actions, the admin form and the importer call these."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from ..models import Article
from ..public import purge

# Who may move a story where: reporters only between draft and review.
REPORTER_STATUSES = {Article.Status.DRAFT, Article.Status.REVIEW}


def can_publish(user):
    return user.has_perm("articles.publish_article")


def can_edit(user, article):
    """Editors edit every story; reporters their own or bylined ones while in draft or review."""
    if can_publish(user):
        return True
    return article.status in REPORTER_STATUSES and (
        article.created_by_id == user.pk or article.bylines.filter(contributor__user=user).exists()
    )


def allowed_statuses(user):
    return set(Article.Status.values) if can_publish(user) else REPORTER_STATUSES


def log_status_change(*, article, by, before):
    """Record 'Status: Draft → Published' in Django's admin log."""
    if by is None or before == article.status_label:
        return
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[article],
        action_flag=CHANGE,
        change_message=f"Status: {before} → {article.status_label}",
        single_object=True,
    )


def _change_status(*, article, to, by, publish_at=None):
    before = article.status_label
    article.status = to
    if publish_at is not None:
        article.publish_at = publish_at
    if by is not None:
        article.last_edited_by = by
    article.version += 1
    with transaction.atomic():
        cached_before = purge.story_state(article)  # cache purge: see articles/public/purge.py
        article.save()
        log_status_change(article=article, by=by, before=before)
        purge.purge_story_change(article=article, before=cached_before)
    return article


def publish_time(article):
    """When a story published without a chosen time goes live: now, unless it has been live.

    A story that has been live keeps its date, and so its URL, when published again.
    """
    was_live = article.first_published_at is not None and article.first_published_at <= timezone.now()
    if was_live and article.publish_at:
        return article.publish_at
    return timezone.now().replace(microsecond=0)


def publish_article(*, article, by, at=None):
    """Publish now, or schedule when `at` is in the future."""
    return _change_status(
        article=article, to=Article.Status.PUBLISHED, by=by, publish_at=at or publish_time(article)
    )


def submit_for_review(*, article, by):
    return _change_status(article=article, to=Article.Status.REVIEW, by=by)


def return_to_draft(*, article, by):
    return _change_status(article=article, to=Article.Status.DRAFT, by=by)


def withdraw_article(*, article, by):
    return _change_status(article=article, to=Article.Status.WITHDRAWN, by=by)
