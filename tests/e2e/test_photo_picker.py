"""The lead-photo picker shows a thumbnail and the credit for every photo, on every load."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import ArticleFactory, ContributorFactory, PhotoFactory, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOADS = 4


@pytest.mark.parametrize("role", ["Editor", "Reporter"])
def test_every_photo_option_has_a_thumbnail_and_its_credit(live_server, page, role):
    user = staff_user("someone", role)
    same = {"caption": "Troops board a transport plane at dawn.", "title": "Kabul airlift"}
    PhotoFactory(**same, credit="AP")
    chosen = PhotoFactory(**same, credit="Susannah George / AP file")
    story = ArticleFactory(draft=True, created_by=user, lead_photo=chosen)
    ContributorFactory(user=user)
    log_in(page, live_server.url, "someone")

    for _ in range(LOADS):
        page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
        selection = page.locator(".field-lead_photo .select2-selection__rendered")
        selection.locator("img").wait_for()
        assert "Susannah George / AP file" in selection.inner_text()

        page.click(".field-lead_photo .select2-selection")
        page.fill(".select2-search__field", "airlift")
        page.wait_for_selector(".select2-results__option .newsroom-photo-option")
        page.wait_for_selector(".select2-results__option.loading-results", state="detached")
        options = page.locator(".select2-results__option[aria-selected]")
        assert options.count() == 2
        credits = options.locator(".newsroom-photo-credit").all_inner_texts()
        assert sorted(credits) == ["AP", "Susannah George / AP file"]
        assert options.locator("img").count() == 2
        for source in options.locator("img").evaluate_all("images => images.map(i => i.src)"):
            assert "/renditions/" in source and source.endswith("-sq.jpg")
        page.keyboard.press("Escape")
    assert page.console_errors == []
