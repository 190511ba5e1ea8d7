"""The front page editors lay out: zones, the automatic fill, scheduling, restoring, the desk."""

import datetime
import json
import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, FrontPage, Placement
from articles.stories import frontpage
from articles.stories.frontpage import home_page, restore_layout, switch_front_pages
from articles.stories.periodic import run_periodic_jobs
from tests.factories import ArticleFactory, BylineFactory, PhotoFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def national():
    return SectionFactory(name="National", slug="national", position=1)


@pytest.fixture
def sport():
    return SectionFactory(name="Sport", slug="sport", position=2)


def story(section, hours_ago=2, **kwargs):
    return ArticleFactory(section=section, publish_at=timezone.now() - hours_ago * HOUR, **kwargs)


def layout(name="Morning", *, go_live_at=None, status=FrontPage.Status.SCHEDULED, **zones):
    page = FrontPage.objects.create(name=name, status=status, go_live_at=go_live_at or timezone.now() - HOUR)
    for zone, stories in zones.items():
        for position, placed in enumerate(stories, start=1):
            section = placed.section if zone == "section" else None
            Placement.objects.create(
                front_page=page, zone=zone, article=placed, position=position, section=section
            )
    return page


def lead_of(html):
    """The lead story's section of a rendered home page."""
    return html.split('class="home-lead"')[1].split("</section>")[0]


def headlines(stories):
    return [s.headline for s in stories]


# --- what the page shows -------------------------------------------------------------------


def test_without_a_layout_the_automatic_rule_fills_every_zone(national):
    newest = [story(national, hours_ago=hours, headline=f"Story {hours}") for hours in range(1, 8)]
    page = home_page()
    assert page.layout is None and page.lead == newest[0]
    assert headlines(page.top_stories) == ["Story 2", "Story 3", "Story 4", "Story 5"]
    assert page.more == []
    blocks = [(section.name, headlines(stories)) for section, stories in page.section_blocks]
    assert blocks == [("National", ["Story 6", "Story 7"])]


def test_placed_stories_lead_in_their_order_and_empty_places_fill_automatically(national):
    stories = [story(national, hours_ago=hours, headline=f"Story {hours}") for hours in range(1, 9)]
    layout(lead=[stories[5]], top=[stories[7], stories[6]], more=[stories[0]])
    page = home_page()
    assert page.lead.headline == "Story 6"
    # The two placed first, in the editors' order, then the newest not shown elsewhere.
    assert headlines(page.top_stories) == ["Story 8", "Story 7", "Story 2", "Story 3"]
    assert headlines(page.more) == ["Story 1"]
    assert headlines(page.section_blocks[0][1]) == ["Story 4", "Story 5"]


def test_section_block_pins_placed_stories_and_a_manual_block_shows_only_them(national, sport):
    for hours in range(1, 6):
        story(national, hours_ago=hours)  # the lead and top stories
    match_report = story(sport, hours_ago=30, headline="Old match report")
    for hours in range(10, 15):
        story(sport, hours_ago=hours, headline=f"Sport {hours}")
    page_layout = layout(section=[match_report])
    blocks = dict(home_page().section_blocks)
    assert headlines(blocks[sport]) == ["Old match report", "Sport 10", "Sport 11", "Sport 12"]
    page_layout.manual_sections.add(sport)
    blocks = dict(home_page().section_blocks)
    assert headlines(blocks[sport]) == ["Old match report"]


def test_placed_story_that_is_withdrawn_leaves_the_page_at_once(client, national):
    placed = story(national, headline="Placed then withdrawn")
    others = [story(national, hours_ago=5 + n) for n in range(3)]
    layout(lead=[placed], top=others)
    assert b"Placed then withdrawn" in client.get("/").content
    Article.objects.filter(pk=placed.pk).update(status=Article.Status.WITHDRAWN)
    assert b"Placed then withdrawn" not in client.get("/").content
    assert home_page().lead == others[0]  # the automatic rule fills the empty place


def queries_for_home(client):
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured)


def placed_page(section, size):
    stories = []
    for n in range(size):
        placed = story(section, hours_ago=n + 1, lead_photo=PhotoFactory(size=(64, 48)))
        BylineFactory(article=placed)
        stories.append(placed)
    return stories


def test_home_queries_do_not_grow_with_placed_stories(client, national, sport):
    few = placed_page(national, 3)
    page_layout = layout(lead=few[:1], top=few[1:2], section=few[2:])
    small = queries_for_home(client)
    many = placed_page(sport, 12)
    for position, placed in enumerate(many[:4], start=10):
        Placement.objects.create(front_page=page_layout, zone="top", article=placed, position=position)
    for position, placed in enumerate(many[4:10], start=1):
        Placement.objects.create(front_page=page_layout, zone="more", article=placed, position=position)
    for placed in many[10:]:
        Placement.objects.create(front_page=page_layout, zone="section", section=sport, article=placed)
    page_layout.manual_sections.add(sport)
    large = queries_for_home(client)
    assert small == large == 9


# --- scheduling, going live, restoring -----------------------------------------------------


def test_scheduled_layout_takes_the_page_at_its_time_by_query_alone(client, time_machine, national):
    time_machine.move_to(timezone.now(), tick=False)
    morning, evening = story(national, headline="Morning lead"), story(national, headline="Evening lead")
    layout("Morning", lead=[morning])
    layout("Evening", lead=[evening], go_live_at=timezone.now() + 2 * HOUR)
    assert home_page().lead == morning
    time_machine.shift(2 * HOUR)
    assert home_page().lead == evening
    assert "Evening lead" in lead_of(client.get("/").content.decode())


def test_periodic_job_records_the_switch_and_purges_once(
    time_machine, national, caplog, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    first = layout("First", lead=[story(national)])
    second = layout("Second", go_live_at=timezone.now() + HOUR)
    with caplog.at_level(logging.INFO, logger=frontpage.__name__), django_capture_on_commit_callbacks(
        execute=True
    ):
        run_periodic_jobs()
        time_machine.shift(HOUR)
        run_periodic_jobs()
        run_periodic_jobs()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (FrontPage.Status.ARCHIVED, FrontPage.Status.LIVE)
    assert [r.getMessage() for r in caplog.records] == [
        f"Front page layout {first.pk} (“First”) is live",
        f"Front page layout {second.pk} (“Second”) is live",
    ]


def test_draft_layout_never_shows(national):
    newest = story(national, hours_ago=1)
    layout("Draft", status=FrontPage.Status.DRAFT, lead=[story(national, hours_ago=9, headline="Draft lead")])
    assert home_page().lead == newest


def test_restoring_an_old_layout_puts_a_copy_live_and_keeps_the_old_one(national):
    old_lead, new_lead = story(national), story(national)
    old = layout("Election night", lead=[old_lead], go_live_at=timezone.now() - 5 * HOUR)
    old.manual_sections.add(national)
    layout("Next morning", lead=[new_lead])
    switch_front_pages()
    copy = restore_layout(layout=old, by=None)
    assert home_page().lead == old_lead and home_page().layout == copy
    assert copy.name == "Election night (again)" and list(copy.manual_sections.all()) == [national]
    old.refresh_from_db()
    assert old.status == FrontPage.Status.ARCHIVED and old.placements.count() == 1


# --- the desk ------------------------------------------------------------------------------


def inline_data(**zones):
    """POST data for the layout form's four inlines (lead, top, more, section blocks)."""
    prefixes = {
        "lead": "placements",
        "top": "placements-2",
        "more": "placements-3",
        "section": "placements-4",
    }
    data = {}
    for zone, prefix in prefixes.items():
        rows = zones.get(zone, [])
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0})
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def test_editor_builds_a_layout_in_the_admin(client, editor, national):
    lead, first, second = story(national), story(national), story(national)
    response = client.post(
        reverse("admin:articles_frontpage_add"),
        {
            "name": "Budget day",
            "status": "scheduled",
            "go_live_at_0": "",
            "go_live_at_1": "",
            **inline_data(
                lead=[{"article": lead.pk, "position": 1}],
                top=[{"article": second.pk, "position": 2}, {"article": first.pk, "position": 1}],
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = FrontPage.objects.get()
    assert page.created_by == editor and page.status == FrontPage.Status.LIVE
    assert home_page().lead == lead and home_page().top_stories[:2] == [first, second]


@pytest.mark.parametrize("hidden", ["draft", "scheduled", "withdrawn"])
def test_only_published_stories_can_be_placed(client, editor, national, hidden):
    unpublished = ArticleFactory(section=national, **{hidden: True})
    response = client.post(
        reverse("admin:articles_frontpage_add"),
        {"name": "Sneaky", "status": "draft", **inline_data(lead=[{"article": unpublished.pk}])},
    )
    assert response.status_code == 200
    assert "Only published stories can be placed on the front page" in response.content.decode()
    assert not FrontPage.objects.exists()


def test_a_story_sits_in_one_zone_only(client, editor, national):
    twice = story(national)
    response = client.post(
        reverse("admin:articles_frontpage_add"),
        {
            "name": "Twice",
            "status": "draft",
            **inline_data(lead=[{"article": twice.pk}], more=[{"article": twice.pk}]),
        },
    )
    assert response.status_code == 200
    assert f"“{twice.headline}” is already placed in Lead story." in response.content.decode()
    assert not FrontPage.objects.exists()


def test_story_autocomplete_offers_published_stories_only(client, editor, national):
    live = story(national, headline="Harbour reopens after storm")
    ArticleFactory(section=national, draft=True, headline="Harbour draft nobody may place")
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "Harbour", "app_label": "articles", "model_name": "placement", "field_name": "article"},
    )
    assert [r["id"] for r in json.loads(response.content)["results"]] == [str(live.pk)]


def test_preview_shows_a_layout_before_it_goes_live_to_staff_only(client, editor, national):
    story(national, hours_ago=1, headline="Leads today")
    later = story(national, hours_ago=3, headline="Tomorrow leads")
    page = layout("Tomorrow", lead=[later], go_live_at=timezone.now() + 10 * HOUR)
    url = reverse("admin:articles_frontpage_preview", args=[page.pk])
    response = client.get(url)
    html = response.content.decode()
    assert "Preview — front page layout “Tomorrow”" in html
    assert "Tomorrow leads" in lead_of(html)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Tomorrow leads" not in lead_of(client.get("/").content.decode())
    client.logout()
    assert client.get(url).status_code == 302


def test_reporters_have_no_front_page_editor(client, national):
    reporter = UserFactory(username="riley", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    client.force_login(reporter)
    assert client.get(reverse("admin:articles_frontpage_changelist")).status_code == 403
    page = layout("Any")
    assert client.get(reverse("admin:articles_frontpage_preview", args=[page.pk])).status_code == 403


def test_changelist_marks_the_layout_on_the_page_in_constant_queries(client, editor, national):
    layout("Old", go_live_at=timezone.now() - 3 * HOUR, lead=[story(national)])
    layout("Current")
    url = reverse("admin:articles_frontpage_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    for n in range(5):
        layout(f"Extra {n}", go_live_at=timezone.now() - (5 + n) * HOUR)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    assert html.count("On the home page now") == 1
