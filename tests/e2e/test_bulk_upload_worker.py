"""Five 12 MP photos through the photo desk, with a real task worker making their renditions.

The worker is `manage.py db_worker` in a child process on the live server's test database; the
page shows the upload's progress, then "Processing…" boxes that turn into the photos.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from articles.models import Photo
from tests import imagefiles as files
from tests.e2e.conftest import log_in_at, wait_until_true
from tests.factories import UserFactory
from tests.realsize import camera_picture
from tests.servers import task_worker

pytestmark = [pytest.mark.browser, pytest.mark.realsize, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(live_server, settings):
    """A db_worker child on the live server's database and media folders."""
    media = {"MEDIA_ROOT": settings.MEDIA_ROOT, "PHOTO_ORIGINALS_ROOT": settings.PHOTO_ORIGINALS_ROOT}
    with task_worker(settings, **{name: str(path) for name, path in media.items()}) as child:
        yield child


@pytest.fixture
def five_camera_photos(tmp_path):
    paths = []
    for number in range(5):
        picture = camera_picture(4000, 3000)
        picture.paste((number * 50, 0, 0), (0, 0, 200 * (number + 1), 200))  # five different files
        path = tmp_path / f"camera-{number}.jpg"
        path.write_bytes(files.jpeg(picture, quality=90))
        paths.append(path)
    return paths


def test_bulk_upload_shows_progress_then_each_photo_once_the_worker_is_done(
    live_server, page, worker, five_camera_photos
):
    user = UserFactory(username="pat")
    user.groups.add(Group.objects.get(name="Photo editor"))
    log_in_at(page, f"{live_server.url}/photos/upload/", "pat")

    page.set_input_files("input[name=images]", [str(path) for path in five_camera_photos])
    page.evaluate(
        """window.sawProgress = false;
        new MutationObserver(() => {
          const bar = document.querySelector('#upload-progress');
          if (bar && !bar.hidden) window.sawProgress = true;
        }).observe(document.documentElement, {subtree: true, childList: true, attributes: true});"""
    )
    page.click("#photo-upload-form [type=submit]")
    page.wait_for_selector("#photo-describe-form", timeout=120_000)

    assert page.evaluate("window.sawProgress") is True
    assert page.locator(".alert-success").inner_text() == "5 photos added to the library."
    thumbnails = page.locator("#photo-describe-form .desk-thumb")
    assert thumbnails.count() == 5
    # Straight after the upload the worker has at most started: the boxes say so.
    assert page.locator("[data-photo-status]").count() >= 1
    wait_until_true(
        page,
        "document.querySelectorAll('[data-photo-status]').length === 0"
        " && [...document.querySelectorAll('#photo-describe-form .desk-thumb img')]"
        ".filter(i => i.complete && i.naturalWidth > 0).length === 5",
        timeout=240,
    )

    assert list(Photo.objects.values_list("status", flat=True)) == [Photo.Status.READY] * 5
    assert all(photo.renditions.count() == 16 for photo in Photo.objects.all())
    assert worker.poll() is None  # still running: it was the worker, not the request
    assert page.console_errors == []
