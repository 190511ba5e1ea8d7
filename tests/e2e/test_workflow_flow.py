"""A story from a reporter's draft, through an editor's review, to the public site."""

import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from tests.e2e.conftest import log_in
from tests.factories import SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff(username, group):
    user = UserFactory(username=username, is_staff=True, first_name=username.title())
    user.groups.add(Group.objects.get(name=group))
    return user


def log_out(page):
    page.click("#logout-form button")
    page.wait_for_load_state()


def test_reporter_draft_to_editor_review_to_published(live_server, page):
    staff("riley", "Reporter")
    staff("edith", "Editor")
    SectionFactory(name="National", slug="national")
    base = live_server.url

    log_in(page, base, "riley")
    page.goto(f"{base}/admin/articles/article/add/")
    page.fill("#id_headline", "Harbor bridge reopens after repairs")
    page.fill("#id_dek", "Crews finished two weeks early, the city said.")
    page.fill("#id_dateline", "BALTIMORE")
    page.select_option("#id_section", label="National")
    editor_body = page.locator(".field-body .ProseMirror[contenteditable=true]")
    editor_body.click()
    editor_body.type("The bridge reopened at dawn. “It feels like spring,” a commuter said.")
    assert page.locator("#id_status option").all_inner_texts() == ["Draft", "In review"]
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    page.select_option("#id_status", "review")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get()
    assert story.status == "review" and "It feels like spring" in story.body
    log_out(page)

    log_in(page, base, "edith")
    page.click("#newsroom-desk >> text=Harbor bridge reopens after repairs")
    page.wait_for_selector("#id_status")
    page.select_option("#id_status", "published")
    page.click(".field-publish_at .datetimeshortcuts >> text=Today")
    page.click(".field-publish_at .datetimeshortcuts >> text=Now")
    page.click("input[name=_continue]")
    # The story has no byline: publishing it asks once more.
    page.check("#error-summary #id_publish_without_byline")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert story.is_public

    page.console_errors.clear()
    page.goto(f"{base}{story.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Harbor bridge reopens after repairs"
    assert "BALTIMORE" in page.locator("main").inner_text()
    assert page.console_errors == []
