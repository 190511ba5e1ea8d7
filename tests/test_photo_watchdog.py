"""The periodic job's watchdog over photo processing: a photo a crashed task worker left
"processing" is queued once more, then marked failed for staff. Real rows of the django-tasks
database backend throughout; a crash is a task row claimed by a worker that never finished."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Photo
from articles.photos.tasks import STALLED_MESSAGE, make_photo_files
from articles.stories.periodic import run_periodic_jobs
from tests import imagefiles as files
from tests.photo_desk import upload

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
QUEUED_AGAIN, FAILED = "stalled photos queued again", "stalled photos failed"


@pytest.fixture
def queued_photo(desk, settings):
    """A photo uploaded through the desk, its task waiting in the database queue."""
    settings.TASKS = DATABASE_TASKS
    upload(desk, ("harbour.jpg", files.jpeg(files.picture(600, 400))))
    photo = Photo.objects.get()
    assert photo.status == Photo.Status.PROCESSING
    return photo


def tasks_for(photo):
    rows = DBTaskResult.objects.filter(task_path=make_photo_files.module_path).order_by("enqueued_at")
    return [row for row in rows if row.args_kwargs["args"][0] == photo.pk]


def crash_while_running(row):
    """A worker takes the task and dies without finishing it: the row stays "running"."""
    row.claim("worker-that-crashed")
    assert row.status == TaskResultStatus.RUNNING


def minutes_later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def test_photo_whose_worker_crashed_is_queued_again_once_then_failed(queued_photo, desk, settings):
    assert settings.PHOTO_STALLED_AFTER_MINUTES == 15
    [first] = tasks_for(queued_photo)
    crash_while_running(first)

    assert run_periodic_jobs(now=minutes_later(10))[QUEUED_AGAIN] == 0  # not stalled long enough yet
    at = minutes_later(16)
    assert run_periodic_jobs(now=at)[QUEUED_AGAIN] == 1

    queued_photo.refresh_from_db()
    assert (queued_photo.status, queued_photo.requeued_at) == (Photo.Status.PROCESSING, at)
    first_again, second = tasks_for(queued_photo)
    assert first_again.pk == first.pk and second.status == TaskResultStatus.READY
    assert second.args_kwargs == {"args": [queued_photo.pk], "kwargs": {"attempt": 1}}
    assert run_periodic_jobs(now=at + timedelta(minutes=1))[QUEUED_AGAIN] == 0  # the new task waits

    crash_while_running(second)  # and the next worker dies too
    done = run_periodic_jobs(now=at + timedelta(minutes=16))

    assert (done[QUEUED_AGAIN], done[FAILED]) == (0, 1)
    queued_photo.refresh_from_db()
    assert (queued_photo.status, queued_photo.processing_error) == (Photo.Status.FAILED, STALLED_MESSAGE)
    assert len(tasks_for(queued_photo)) == 2, "queued again only once"
    page = desk.get(queued_photo.get_absolute_url()).content.decode()
    assert "Could not be processed." in page and "Processing stopped without finishing, twice" in page
    assert not queued_photo.is_public


@pytest.mark.django_db(transaction=True)  # the worker command closes its database connection
def test_photo_queued_again_is_finished_by_the_worker(queued_photo):
    [first] = tasks_for(queued_photo)
    crash_while_running(first)
    run_periodic_jobs(now=minutes_later(16))

    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)

    queued_photo.refresh_from_db()
    assert queued_photo.status == Photo.Status.READY and queued_photo.renditions.count() == 8
    assert [row.status for row in tasks_for(queued_photo)] == [TaskResultStatus.RUNNING, "SUCCESSFUL"]


def test_photo_whose_task_waits_or_runs_is_left_alone(queued_photo):
    """No worker running at all (the task waits) is for the web team, not the watchdog; nor is a
    task that started recently."""
    later = minutes_later(60)
    assert run_periodic_jobs(now=later)[QUEUED_AGAIN] == 0

    [first] = tasks_for(queued_photo)
    crash_while_running(first)
    DBTaskResult.objects.filter(pk=first.pk).update(started_at=later - timedelta(minutes=5))
    assert run_periodic_jobs(now=later)[QUEUED_AGAIN] == 0

    queued_photo.refresh_from_db()
    assert (queued_photo.status, queued_photo.requeued_at) == (Photo.Status.PROCESSING, None)
    assert len(tasks_for(queued_photo)) == 1


def test_ready_and_failed_photos_are_never_touched(queued_photo):
    [first] = tasks_for(queued_photo)
    crash_while_running(first)
    Photo.objects.filter(pk=queued_photo.pk).update(status=Photo.Status.READY)

    done = run_periodic_jobs(now=minutes_later(16))

    assert (done[QUEUED_AGAIN], done[FAILED]) == (0, 0)
    queued_photo.refresh_from_db()
    assert queued_photo.status == Photo.Status.READY and queued_photo.requeued_at is None
