"""An editor lays out the front page in the admin, orders it by dragging, previews a second
layout and sees it take the home page at its time."""

import datetime
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import FrontPage
from tests.e2e.conftest import log_in
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pick_story(page, row, words):
    """Choose a story in an inline row's autocomplete by typing part of its headline."""
    row.locator(".select2-selection").click()
    page.fill(".select2-search__field", words)
    page.wait_for_selector(".select2-results__option.loading-results", state="detached")
    page.locator(".select2-results__option", has_text=words).first.click()


def zone(page, label):
    return page.locator("fieldset.placement-zone", has=page.locator("h2", has_text=label))


def filled_rows(fieldset):
    return fieldset.locator("tbody tr.form-row:not(.empty-form)")


def top_stories_on(page):
    return page.locator(".top-stories .card-headline").all_inner_texts()


def lead_on(page):
    return page.locator(".home-lead .card-headline").inner_text()


def test_editor_builds_a_front_page_and_schedules_the_next_one(live_server, page):
    national = SectionFactory(name="National", slug="national")
    hours = iter(range(1, 20))
    for headline in [
        "Lighthouse keeper retires",
        "River bridge reopens",
        "Budget vote delayed",
        "Harbour strike ends",
        "Orchestra finds a home",
        "Storm warning for coast",
        "Library opens late",
    ]:
        publish_at = timezone.now() - datetime.timedelta(hours=next(hours))
        ArticleFactory(section=national, headline=headline, publish_at=publish_at)
    ArticleFactory(section=national, draft=True, headline="Harbour draft story")
    editor = UserFactory(username="edna", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    log_in(page, live_server.url, "edna")

    page.goto(f"{live_server.url}/admin/articles/frontpage/add/")
    page.fill("#id_name", "Budget morning")
    page.select_option("#id_status", "scheduled")
    pick_story(page, filled_rows(zone(page, "Lead story")).first, "Orchestra finds")
    top = zone(page, "Top stories")
    for index, words in enumerate(["Budget vote", "River bridge", "Harbour strike"]):
        if index:
            top.locator(".add-row a").click()
        pick_story(page, filled_rows(top).nth(index), words)
    # Only published stories are offered: the draft never shows in the picker.
    filled_rows(top).nth(2).locator(".select2-selection").click()
    page.fill(".select2-search__field", "Harbour")
    page.wait_for_selector(".select2-results__option.loading-results", state="detached")
    assert "Harbour draft story" not in page.locator(".select2-results").inner_text()
    page.keyboard.press("Escape")

    # Drag "Harbour strike" above "Budget vote", then move "River bridge" down with the keyboard.
    rows = filled_rows(top)
    rows.nth(2).locator(".placement-handle").drag_to(rows.nth(0), target_position={"x": 40, "y": 3})
    rows.nth(2).locator(".placement-handle").focus()
    page.keyboard.press("ArrowUp")
    positions = [rows.nth(i).locator("td.field-position input").input_value() for i in range(rows.count())]
    assert positions == ["1", "2", "3"]
    pick_story(page, filled_rows(zone(page, "More rail")).first, "Library opens")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "front-page-editor.png", full_page=True)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{live_server.url}/")
    assert lead_on(page) == "Orchestra finds a home"
    assert top_stories_on(page)[:3] == ["Harbour strike ends", "River bridge reopens", "Budget vote delayed"]
    # The fourth top story is the automatic rule's: the newest story not placed.
    assert top_stories_on(page)[3] == "Lighthouse keeper retires"
    assert page.locator(".more-rail .card-headline").all_inner_texts() == ["Library opens late"]
    page.screenshot(path=ARTIFACTS / "front-page-home-1280.png", full_page=True)

    # A second layout, scheduled a few seconds ahead.
    page.goto(f"{live_server.url}/admin/articles/frontpage/add/")
    page.fill("#id_name", "Storm evening")
    page.select_option("#id_status", "scheduled")
    pick_story(page, filled_rows(zone(page, "Lead story")).first, "Storm warning")
    goes_live = timezone.localtime() + datetime.timedelta(seconds=8)
    page.fill("#id_go_live_at_0", goes_live.strftime("%Y-%m-%d"))
    page.fill("#id_go_live_at_1", goes_live.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    evening = FrontPage.objects.get(name="Storm evening")
    assert evening.status == FrontPage.Status.SCHEDULED

    page.goto(f"{live_server.url}/admin/articles/frontpage/{evening.pk}/preview/")
    assert lead_on(page) == "Storm warning for coast"
    page.screenshot(path=ARTIFACTS / "front-page-preview.png", full_page=True)
    page.goto(f"{live_server.url}/")
    assert lead_on(page) == "Orchestra finds a home"

    time.sleep(max(0, (goes_live - timezone.localtime()).total_seconds()) + 1)
    # The browser may keep the home page for NEWSROOM_PUBLIC_CACHE_SECONDS: ask past its cache.
    page.goto(f"{live_server.url}/?after-the-switch")
    assert lead_on(page) == "Storm warning for coast"
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=ARTIFACTS / "front-page-home-390.png", full_page=True)
    assert page.console_errors == []
