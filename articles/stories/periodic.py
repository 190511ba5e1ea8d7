"""Jobs that run on the clock rather than on a request: `manage.py newsroom_tick` calls them.

Each job is given the window it covers, (since, now], so a tick that comes late (or after
the ticker was stopped for a while) catches up instead of skipping what fell in between.
"""

import datetime
import logging

from django.core.cache import cache
from django.utils import timezone

from ..public.purge import purge_expired_photo_rights, purge_newly_live

logger = logging.getLogger(__name__)

LAST_RUN_KEY = "newsroom:periodic:last-run"
# How far back the first run after a start looks (the last run is kept in the cache).
CATCH_UP = datetime.timedelta(minutes=10)

JOBS = [
    purge_newly_live,  # scheduled stories that went live: in the caches within one tick
    purge_expired_photo_rights,  # photos whose rights ran out at midnight
]


def run_periodic_jobs(*, now=None):
    """Run every job for the window since the last run; one failing job never stops the others."""
    now = now or timezone.now()
    since = cache.get(LAST_RUN_KEY)
    if since is None or since > now:
        since = now - CATCH_UP
    for job in JOBS:
        try:
            job(since=since, now=now)
        except Exception:
            logger.exception("Periodic job %s failed for %s to %s", job.__name__, since, now)
    cache.set(LAST_RUN_KEY, now, timeout=None)
