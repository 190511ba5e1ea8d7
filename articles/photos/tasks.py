"""Background work on photos, run by the task worker (`manage.py db_worker`)."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import default_task_backend, task

from ..models import Photo
from . import checks
from .pipeline import process_photo, record_failure

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Seconds before the second and third attempt: a full disk or a lost storage mount gets a
# minute or two to come back.
RETRY_DELAYS = (15, 120)


@task()
def make_photo_files(photo_id, attempt=1):
    """Write a new photo's master and renditions; retried, then marked failed for staff."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.status != Photo.Status.PROCESSING:
        # Deleted meanwhile, or done by an earlier run (regenerate_renditions).
        return "skipped"
    try:
        process_photo(photo=photo)
    except Exception as error:
        # A file the decoder refuses will be refused again: no point retrying it.
        final = attempt >= MAX_ATTEMPTS or isinstance(error, checks.ImageRejected)
        logger.exception("Renditions of photo %s failed (attempt %s)", photo_id, attempt)
        record_failure(photo=photo, error=error, attempts=attempt, final=final)
        if final:
            raise
        _retry(photo_id, attempt + 1)
        return "retrying"
    return "ready"


def _retry(photo_id, attempt):
    retry = make_photo_files
    if default_task_backend.supports_defer:
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) + 1) - 2]
        retry = retry.using(run_after=timezone.now() + timedelta(seconds=delay))
    retry.enqueue(photo_id, attempt=attempt)
