"""Background work on photos, run by the task worker (`manage.py db_worker`), and the watchdog
the periodic job runs over it."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend, task

from ..models import Photo
from ..queue import enqueue_on_commit
from . import checks
from .pipeline import process_photo, record_failure

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Seconds before the second and third attempt: a full disk or a lost storage mount gets a
# minute or two to come back.
RETRY_DELAYS = (15, 120)

STALLED_MESSAGE = (
    "Processing stopped without finishing, twice (the task worker was probably stopped or "
    "crashed while it worked on this photo). Remove the photo and upload the file again; if it "
    "happens again, ask the web team to look at the task worker's log."
)


@task()
def make_photo_files(photo_id, attempt=1):
    """Prove a new photo's file whole and write its master and renditions; retried, then marked
    failed for staff. A damaged file is marked failed at once, with a sentence for the uploader."""
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


def _photos_with_live_tasks(*, started_after):
    """Ids of photos whose task is waiting in the database queue, or running since `started_after`.

    A worker that crashed leaves its task "running" for ever; one that has run longer than
    the stall limit counts as gone (a photo takes seconds).
    """
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=make_photo_files.module_path).filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=started_after)
    )
    ids = set()
    for args_kwargs in rows.values_list("args_kwargs", flat=True):
        args = args_kwargs.get("args") or [args_kwargs.get("kwargs", {}).get("photo_id")]
        ids.add(args[0])
    return ids


def rescue_stalled_photos(*, now):
    """Photos left "processing" by a worker that died: queue each once more, then mark it failed.

    A photo counts as stalled when it has been processing for PHOTO_STALLED_AFTER_MINUTES
    (since its upload, or since it was queued again) and no task for it is waiting or running.
    Only the database task backend can be asked that; with any other the photos are left alone.
    Returns (queued again, marked failed).
    """
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(make_photo_files.get_backend(), DatabaseBackend):
        return 0, 0
    cutoff = now - timedelta(minutes=settings.PHOTO_STALLED_AFTER_MINUTES)
    stalled = Photo.objects.filter(status=Photo.Status.PROCESSING).filter(
        Q(requeued_at__isnull=True, uploaded_at__lt=cutoff) | Q(requeued_at__lt=cutoff)
    )
    candidates = list(stalled.values_list("pk", "requeued_at", "processing_attempts"))
    if not candidates:
        return 0, 0
    alive = _photos_with_live_tasks(started_after=cutoff)
    requeued = failed = 0
    for pk, requeued_at, attempts in candidates:
        if pk in alive:
            continue
        still_processing = Photo.objects.filter(pk=pk, status=Photo.Status.PROCESSING)
        if requeued_at is None:
            if still_processing.update(requeued_at=now):
                logger.warning("Photo %s stalled while processing; queued again", pk)
                enqueue_on_commit(make_photo_files, pk, attempt=min(attempts + 1, MAX_ATTEMPTS))
                requeued += 1
        elif still_processing.update(status=Photo.Status.FAILED, processing_error=STALLED_MESSAGE):
            logger.error("Photo %s stalled again while processing; marked failed", pk)
            failed += 1
    return requeued, failed
