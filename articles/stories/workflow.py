"""The editorial workflow, in one place: who may do what to a story, and the one way a story is
saved and moved between states. The admin form, its bulk actions, the wire importer, the
periodic jobs and management commands all go through `save_article` and `change_status`.

Every save through here raises `version` (stale edits are refused against it), records the
last editor, stamps a significant update when asked, writes "Status: Draft → Published" to
the admin log whenever the status a reader would see changes, whoever changed it, and tells
webhooks what readers now see (published, updated, withdrawn), and purges the pages that
showed it from the caches in front.
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ..caching import purge
from ..models import Article
from ..webhooks import Event, event_for_change, notify_story_changed

# Who may move a story where: reporters only between draft and review.
REPORTER_STATUSES = {Article.Status.DRAFT, Article.Status.REVIEW}
# Status changes made by the system (wire imports without a user, scheduled jobs) are logged
# under this inactive account, so the story's history always says who or what did it.
SYSTEM_USERNAME = "newsroom-system"
NEW = "New"


# --- who may do what ---------------------------------------------------------------------


def can_publish(user):
    return user.has_perm("articles.publish_article")


def is_own_or_bylined(user, article):
    """Whether `user` started the story or is bylined on it (see ArticleQuerySet.own_or_bylined)."""
    return Article.objects.filter(pk=article.pk).own_or_bylined(user).exists()


def can_edit(user, article):
    """Editors edit every story; reporters their own or bylined ones while in draft or review."""
    if can_publish(user):
        return True
    return article.status in REPORTER_STATUSES and is_own_or_bylined(user, article)


def can_preview(user, article):
    """Who may read an unpublished story and hand out share links for it: editors, and
    reporters on the stories they started or are bylined on."""
    if not (user.is_authenticated and user.is_staff and user.has_perm("articles.view_article")):
        return False
    return can_publish(user) or is_own_or_bylined(user, article)


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


def allowed_statuses(user):
    return set(Article.Status.values) if can_publish(user) else REPORTER_STATUSES


def publish_time(article):
    """When a story published without a chosen time goes live: now, unless it has been live.

    A story that has been live keeps its date, and so its URL, when published again.
    """
    was_live = article.first_published_at is not None and article.first_published_at <= timezone.now()
    if was_live and article.publish_at:
        return article.publish_at
    return timezone.now().replace(microsecond=0)


# --- reverting to an older revision ---------------------------------------------------------

# Set by the workflow, never by reverting to an older revision: a revert restores text and
# bylines, and the story keeps its place in the workflow.
WORKFLOW_FIELDS = [
    "status",
    "publish_at",
    "embargo_until",
    "expires_at",
    "first_published_at",
    "significantly_updated_at",
    "reader_modified_at",
    "featured",
    "version",
    "preview_key",
    "external_id",
    "created_by_id",
]


def workflow_state(article):
    """The story's place in the workflow, to keep through a revert."""
    return {field: getattr(article, field) for field in WORKFLOW_FIELDS}


def keep_workflow_through_revert(*, article_pk, state):
    """Put the workflow fields back after django-reversion wrote an older revision to the row.

    Called in the revert's transaction before the form reads the story, so everything after
    it (the form, the stale-edit check, `save_article`'s status log) sees the story's status,
    times and version as they are now, and only its text and bylines as they were.
    """
    Article.objects.filter(pk=article_pk).update(**state)


# --- saving --------------------------------------------------------------------------------


def system_user():
    user, _ = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "Newsroom"}
    )
    return user


def status_label_in_database(article):
    """The status readers would see for the story as stored, or NEW for a story not saved yet."""
    if article.pk is None:
        return NEW
    stored = Article.objects.filter(pk=article.pk).only("status", "publish_at").first()
    return stored.status_label if stored else NEW


def save_article(*, article, by, significant_update=False):
    """Save `article` as edited by `by` (None: the system), and log a change of status."""
    before = status_label_in_database(article)
    was_public = article.pk is not None and Article.objects.published().filter(pk=article.pk).exists()
    cached_before = purge.story_state(article)
    if article.pk is None:
        article.created_by = article.created_by or by
    else:
        article.version += 1
    article.last_edited_by = by
    if significant_update and article.first_published_at:
        article.significantly_updated_at = timezone.now()
    with transaction.atomic():
        article.save()
        _log_status_change(article=article, by=by, before=before)
        event = event_for_change(article, was_public=was_public, significant=significant_update)
        notify_story_changed(article=article, event=event)
        purge.purge_story_change(article=article, before=cached_before)
    return article


def correction_changed(*, article, added=True):
    """A correction was added (or edited or removed): tell the caches in front, and tell other
    systems of a new one (sent only if readers can see the story)."""
    purge.purge_correction(article=article)
    if added:
        notify_story_changed(article=article, event=Event.CORRECTED)


def change_status(*, article, to, by, publish_at=None, **save_options):
    """Move `article` to status `to` and save it; `save_options` go to save_article."""
    if publish_at is not None:
        article.publish_at = publish_at
    article.status = to
    return save_article(article=article, by=by, **save_options)


def publish_article(*, article, by, at=None, **save_options):
    """Publish now, or schedule when `at` is in the future."""
    return change_status(
        article=article,
        to=Article.Status.PUBLISHED,
        by=by,
        publish_at=at or publish_time(article),
        **save_options,
    )


def submit_for_review(*, article, by, **save_options):
    return change_status(article=article, to=Article.Status.REVIEW, by=by, **save_options)


def return_to_draft(*, article, by):
    return change_status(article=article, to=Article.Status.DRAFT, by=by)


def withdraw_article(*, article, by):
    return change_status(article=article, to=Article.Status.WITHDRAWN, by=by)


def _log_status_change(*, article, by, before):
    """Record 'Status: Draft → Published' in Django's admin log, which the story's history shows."""
    after = article.status_label
    if before == after or (before == NEW and after == Article.Status.DRAFT.label):
        return
    LogEntry.objects.log_actions(
        user_id=(by or system_user()).pk,
        queryset=[article],
        action_flag=ADDITION if before == NEW else CHANGE,
        change_message=f"Status: {before} → {after}",
        single_object=True,
    )
