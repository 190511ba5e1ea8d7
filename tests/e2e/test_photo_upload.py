"""A photo editor uploads two photos through the page, captions them, and finds them in the library."""

import pytest
from django.contrib.auth.models import Group

from articles.models import Photo
from tests import imagefiles as files
from tests.e2e.conftest import log_in_at, wait_until_true
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALL_IMAGES_LOADED = "[...document.querySelectorAll('main img')].every(i => i.complete && i.naturalWidth > 0)"


@pytest.fixture
def photo_editor(transactional_db):
    user = UserFactory(username="pat", first_name="Pat", last_name="Photo")
    user.groups.add(Group.objects.get(name="Photo editor"))
    return user


@pytest.fixture
def two_photos(tmp_path):
    harbour = tmp_path / "harbour.jpg"
    harbour.write_bytes(files.jpeg(files.picture(640, 480), iptc={files.SOURCE: "Continental Press"}))
    market = tmp_path / "market.png"
    market.write_bytes(files.png(files.picture(480, 640)))
    return [harbour, market]


def test_upload_two_photos_caption_them_and_find_them_in_the_library(
    live_server, page, photo_editor, two_photos
):
    log_in_at(page, f"{live_server.url}/photos/upload/", "pat")
    assert page.url == f"{live_server.url}/photos/upload/"

    page.set_input_files("input[name=images]", [str(path) for path in two_photos])
    page.fill("#id_photographer", "Pat Photo")
    page.evaluate("window.stillTheSamePage = true")
    page.click("#photo-upload-form [type=submit]")
    page.wait_for_selector("#photo-describe-form")

    # The progress script sent the form and showed the next step in place.
    assert "/photos/describe/?ids=" in page.url
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.locator(".alert-success").inner_text() == "2 photos added to the library."
    wait_until_true(page, ALL_IMAGES_LOADED)
    page.fill("textarea[name=form-0-caption]", "Fishing boats in the harbour at dawn.")
    page.fill("textarea[name=form-0-alt_text]", "Small boats moored at a stone quay.")
    page.fill("textarea[name=form-1-caption]", "Stalls at the Saturday market.")
    page.fill("textarea[name=form-1-alt_text]", "Shoppers between fruit stalls.")
    page.click("#photo-describe-form button[type=submit]")
    page.wait_for_selector("#library-count")

    assert page.url == f"{live_server.url}/photos/"
    cards = page.locator("article.card")
    assert cards.count() == 2
    text = page.locator("main").inner_text()
    assert "Fishing boats in the harbour at dawn." in text and "Stalls at the Saturday market." in text
    assert "Pat Photo / Continental Press" in text
    wait_until_true(page, ALL_IMAGES_LOADED)
    assert page.console_errors == []
    assert sorted(Photo.objects.values_list("alt_text", flat=True)) == [
        "Shoppers between fruit stalls.",
        "Small boats moored at a stone quay.",
    ]


def test_upload_works_without_javascript(live_server, browser, photo_editor, two_photos):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in_at(page, f"{live_server.url}/photos/upload/", "pat")
        page.set_input_files("input[name=images]", [str(path) for path in two_photos])
        page.click("#photo-upload-form [type=submit]")
        page.wait_for_selector("#photo-describe-form")

        assert page.locator("#photo-describe-form section.card").count() == 2
    finally:
        context.close()
