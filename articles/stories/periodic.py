"""The newsroom's every-minute work, run by `manage.py run_periodic` (see docs/api.md, "Running").

Each run picks up from where the last one stopped (the time is kept in the database), so a
missed minute, or an hour of downtime, loses nothing: scheduled stories that went live
meanwhile are announced once and purged from the caches in front, expired wire copy is
withdrawn, pages showing photos whose rights ran out are purged, and photos a crashed task
worker left "processing" are queued again once, then marked failed.
"""

import datetime
import logging

import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..caching.purge import purge_expired_photo_rights, purge_newly_live
from ..models import Article, PeriodicRun
from ..photos.tasks import rescue_stalled_photos
from ..webhooks import Event
from ..webhooks.events import queue_deliveries
from . import workflow
from .frontpage import switch_front_pages

logger = logging.getLogger(__name__)

JOB_NAME = "newsroom"
FIRST_RUN_LOOKBACK = datetime.timedelta(minutes=5)


def run_periodic_jobs(now=None):
    """Do the periodic work for the time since the last run; returns what was done, for the log.

    Two runs at once (an overlapping timer) take turns on the row lock; the second finds
    nothing left to do.
    """
    now = now or timezone.now()
    with transaction.atomic():
        run, created = PeriodicRun.objects.select_for_update().get_or_create(
            name=JOB_NAME, defaults={"last_run_at": now - FIRST_RUN_LOOKBACK}
        )
        since = run.last_run_at
        done = {
            "withdrawn": withdraw_expired_stories(now=now),
            "announced": announce_stories_gone_live(since=since, until=now),
            "front page switched": bool(switch_front_pages(now=now)),
        }
        for job in (purge_newly_live, purge_expired_photo_rights):
            try:
                job(since=since, now=now)
            except Exception:
                logger.exception("Periodic job %s failed for %s to %s", job.__name__, since, now)
        try:
            # Its own savepoint: a failure here must not undo the work above.
            with transaction.atomic():
                requeued, failed = rescue_stalled_photos(now=now)
            done["stalled photos queued again"], done["stalled photos failed"] = requeued, failed
        except Exception:
            logger.exception("Periodic job rescue_stalled_photos failed at %s", now)
        run.last_run_at = max(since, now)
        run.save(update_fields=["last_run_at"])
    return done


def announce_stories_gone_live(*, since, until):
    """Send "published" for stories whose time (publish time or embargo) came in (since, until]."""
    gone_live = Article.objects.published().filter(
        Q(publish_at__gt=since, publish_at__lte=until) | Q(embargo_until__gt=since, embargo_until__lte=until)
    )
    announced = 0
    for article_id in gone_live.values_list("pk", flat=True):
        try:
            announced += bool(
                queue_deliveries(article_id=article_id, event=Event.PUBLISHED, skip_announced=True)
            )
        except Exception:
            logger.exception("Could not announce story %s", article_id)
    return announced


def withdraw_expired_stories(*, now):
    """Withdraw published stories whose wire licence has run out; their history says why."""
    withdrawn = 0
    for article in Article.objects.filter(status=Article.Status.PUBLISHED, expires_at__lte=now):
        robot = workflow.system_user()
        when = timezone.localtime(article.expires_at).strftime("%-d %b %Y, %H:%M %Z")
        reason = f"Withdrawn: wire licence expired at {when}"
        # The admin log records it; the revision comment is what the story's history page lists.
        with transaction.atomic(), reversion.create_revision():
            workflow.withdraw_article(article=article, by=robot)
            reversion.set_user(robot)
            reversion.set_comment(reason)
            LogEntry.objects.log_actions(
                user_id=robot.pk,
                queryset=[article],
                action_flag=CHANGE,
                change_message=reason,
                single_object=True,
            )
        withdrawn += 1
    return withdrawn
