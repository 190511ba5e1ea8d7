"""A cut-off file and a near-duplicate through the photo desk, with a real task worker started only
once the describe step is on screen: what the worker finds appears there by itself, and the
damaged photo goes in one click."""

import contextlib
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Photo
from articles.photos.pipeline import create_photo
from tests import imagefiles as files
from tests.e2e.conftest import log_in_at
from tests.factories import staff_user
from tests.servers import DATABASE_TASKS, task_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOPPER = Path(__file__).parents[1] / "photos" / "grace_hopper.jpg"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}}
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/newsroom-screenshots"))


@pytest.fixture
def start_worker(live_server, settings):
    """Start a db_worker child on the live server's database when the test says; stopped by PID."""
    media = {"MEDIA_ROOT": settings.MEDIA_ROOT, "PHOTO_ORIGINALS_ROOT": settings.PHOTO_ORIGINALS_ROOT}
    with contextlib.ExitStack() as workers:
        yield lambda: workers.enter_context(
            task_worker(settings, **{name: str(path) for name, path in media.items()})
        )


def test_worker_findings_appear_on_the_describe_step_and_the_damaged_photo_is_removed(
    live_server, page, start_worker, tmp_path, settings
):
    staff_user("pat", "Photo editor", is_staff=False)
    settings.TASKS = IMMEDIATE_TASKS
    # The library photo the copy resembles, made at once; from here tasks wait for the worker.
    create_photo(file=SimpleUploadedFile("hopper.jpg", HOPPER.read_bytes()), credit="Navy archive")
    settings.TASKS = DATABASE_TASKS
    hopper = files.encode(Image.open(HOPPER), "JPEG", quality=95)
    copy, cut = tmp_path / "copy.jpg", tmp_path / "cut.jpg"
    copy.write_bytes(hopper)
    cut.write_bytes(files.truncated(files.jpeg(files.picture(1200, 800))))

    log_in_at(page, f"{live_server.url}/photos/upload/", "pat")
    page.set_input_files("input[name=images]", [str(copy), str(cut)])
    page.click("#photo-upload-form [type=submit]")
    page.wait_for_selector("#photo-describe-form")
    assert page.locator(".alert-success").inner_text() == "2 photos added to the library."
    assert page.locator("[data-photo-status]").count() == 2  # nothing processed yet

    start_worker()
    failure = page.locator("[data-photo-failure]:not([hidden])")
    failure.wait_for(timeout=60_000)
    page.locator("[data-near-duplicates]:not([hidden])").wait_for(timeout=60_000)

    assert "“cut.jpg” is damaged or incomplete and cannot be opened." in failure.inner_text()
    warning = page.locator("[data-near-duplicates]:not([hidden])").inner_text()
    assert "This looks like a photo already in the library: photo" in warning and "(Navy archive)" in warning
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "describe-damaged-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=SCREENSHOTS / "describe-damaged-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    failure.get_by_role("button", name="Remove this photo").click()
    page.wait_for_load_state()

    removed = "“cut.jpg” was removed from the library, with its files."
    assert page.locator(".alert-success").inner_text() == removed
    assert page.locator("#photo-describe-form section.card").count() == 1
    assert not Photo.objects.filter(original_filename="cut.jpg").exists()
    assert page.console_errors == []


def test_library_and_photo_page_show_a_failed_photo_with_its_remove_button(live_server, page):
    pat = staff_user("pat", "Photo editor", is_staff=False)
    create_photo(file=SimpleUploadedFile("harbour.jpg", files.jpeg(files.picture(900, 600))), uploaded_by=pat)
    cut = files.truncated(files.jpeg(files.picture(1200, 800)))
    damaged = create_photo(file=SimpleUploadedFile("cut.jpg", cut), uploaded_by=pat)
    assert damaged.status == Photo.Status.FAILED

    log_in_at(page, f"{live_server.url}/photos/", "pat")
    assert "damaged or incomplete" in page.locator("main").inner_text()
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SCREENSHOTS / f"library-damaged-{width}.png", full_page=True)
        page.goto(f"{live_server.url}{damaged.get_absolute_url()}")
        page.screenshot(path=SCREENSHOTS / f"photo-damaged-{width}.png", full_page=True)
        page.goto(f"{live_server.url}/photos/")
    page.get_by_role("button", name="Remove").click()
    page.wait_for_load_state()
    assert "“cut.jpg” was removed from the library" in page.locator("main").inner_text()
    assert page.console_errors == []
