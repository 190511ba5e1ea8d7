"""Photos are processed off the request: the upload stores the original and queues a task."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from articles.models import Photo
from articles.photos import checks, imaging
from articles.photos.pipeline import create_photo
from articles.photos.tasks import make_photo_files
from tests import imagefiles as files
from tests.factories import UserFactory

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}


@pytest.fixture
def desk(client, db):
    user = UserFactory(username="pat", is_staff=True)
    user.groups.add(Group.objects.get(name="Photo editor"))
    client.force_login(user)
    return client


def upload(client, *named_files):
    images = [SimpleUploadedFile(name, data, content_type="image/jpeg") for name, data in named_files]
    return client.post("/photos/upload/", {"images": images}, follow=True)


def test_upload_stores_the_original_and_leaves_the_renditions_to_the_worker(desk, settings):
    settings.TASKS = DUMMY_TASKS

    response = upload(desk, ("harbour.jpg", files.jpeg(files.picture(600, 400))))

    photo = Photo.objects.get()
    assert (photo.status, photo.width, photo.height) == (Photo.Status.PROCESSING, 600, 400)
    assert photo.original and not photo.image and not photo.renditions.exists()
    assert "Processing…" in response.text  # the describe step
    status = desk.get("/photos/status/", {"ids": photo.pk}).json()["photos"][str(photo.pk)]
    assert status["status"] == "processing" and status["thumbnail"] == ""

    make_photo_files.call(photo.pk)  # what the worker does

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY and photo.image and photo.renditions.count() == 8
    status = desk.get("/photos/status/", {"ids": photo.pk}).json()["photos"][str(photo.pk)]
    assert status["status"] == "ready" and status["thumbnail"].endswith("-sq.jpg")
    assert "Processing…" not in desk.get(photo.get_absolute_url()).text


def test_captions_saved_while_processing_do_not_undo_the_worker(desk, settings):
    settings.TASKS = DUMMY_TASKS
    upload(desk, ("harbour.jpg", files.jpeg()))
    photo = Photo.objects.get()
    stale = Photo.objects.get(pk=photo.pk)  # loaded by the describe step before the worker finished
    make_photo_files.call(photo.pk)

    stale.caption = "Ferries at dawn."
    stale.save(update_fields=["caption"])

    photo.refresh_from_db()
    assert (photo.status, photo.caption) == (Photo.Status.READY, "Ferries at dawn.")


def test_failing_task_is_retried_then_shown_to_staff(desk, monkeypatch, admin_client):
    attempts = []

    def broken(*args, **kwargs):
        attempts.append(1)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(imaging, "process_upload", broken)

    upload(desk, ("harbour.jpg", files.jpeg()))

    photo = Photo.objects.get()
    assert len(attempts) == 3
    assert (photo.status, photo.processing_attempts) == (Photo.Status.FAILED, 3)
    assert photo.processing_error == "OSError: [Errno 28] No space left on device"
    assert not photo.is_public
    admin_page = admin_client.get(f"/admin/articles/photo/{photo.pk}/change/").text
    assert "Failed after 3 attempts" in admin_page and "No space left on device" in admin_page


def test_file_the_worker_cannot_decode_is_not_retried(desk, monkeypatch):
    def refused(*args, **kwargs):
        raise checks.ImageRejected("The image is damaged or incomplete and cannot be opened.")

    monkeypatch.setattr(imaging, "process_upload", refused)

    upload(desk, ("harbour.jpg", files.jpeg()))

    photo = Photo.objects.get()
    assert (photo.status, photo.processing_attempts) == (Photo.Status.FAILED, 1)
    assert photo.processing_error == "The image is damaged or incomplete and cannot be opened."


@pytest.mark.django_db(transaction=True)
def test_task_is_queued_only_when_the_photo_is_committed(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

    with pytest.raises(RuntimeError), transaction.atomic():
        create_photo(file=SimpleUploadedFile("a.jpg", files.jpeg(files.picture(40, 30))))
        raise RuntimeError("the rest of the request failed")
    assert not DBTaskResult.objects.exists() and not Photo.objects.exists()

    with transaction.atomic():
        photo = create_photo(file=SimpleUploadedFile("b.jpg", files.jpeg(files.picture(50, 30))))
        assert not DBTaskResult.objects.exists()
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": [photo.pk], "kwargs": {}}
