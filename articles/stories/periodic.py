"""The newsroom's every-minute work, run by `manage.py run_periodic` (see docs/api.md, "Running").

Each run picks up from where the last one stopped (the time is kept in the database), so a
missed minute, or an hour of downtime, loses nothing: scheduled stories that went live
meanwhile are announced once. Other every-minute jobs (cache purges) hook in here.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from ..models import Article, PeriodicRun
from ..webhooks import Event
from ..webhooks.events import queue_deliveries

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
        if since >= now:
            return {}
        done = {"announced": announce_stories_gone_live(since=since, until=now)}
        run.last_run_at = now
        run.save(update_fields=["last_run_at"])
    return done


def announce_stories_gone_live(*, since, until):
    """Send "published" for stories whose time (publish time or embargo) came in (since, until]."""
    gone_live = Article.objects.published().filter(publish_at__gt=since, publish_at__lte=until)
    announced = 0
    for article_id in gone_live.values_list("pk", flat=True):
        try:
            announced += bool(
                queue_deliveries(article_id=article_id, event=Event.PUBLISHED, skip_announced=True)
            )
        except Exception:
            logger.exception("Could not announce story %s", article_id)
    return announced
