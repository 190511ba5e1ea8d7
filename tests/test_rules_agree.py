"""Each rule lives in one place, and every caller agrees with it.

- When readers last saw a change: the page, its JSON-LD, the sitemap and the feed.
- Status changes are logged whoever makes them: the admin form, bulk actions, the importer.
- Who may edit and preview a story ("own or bylined"): the admin, previews, the desk, imports.
- Slugs stay unique when another editor takes the same one between our read and our write.
"""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from django.contrib.admin.models import LogEntry
from django.template import Context, Template
from django.urls import reverse

from articles.models import Article, Contributor, slugs
from articles.stories import workflow
from articles.wire.importer import import_wire
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WIRE_SAMPLES = Path(__file__).parent / "wire_samples"
PUBLISHED = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


# --- when readers last saw a change -------------------------------------------------------


def modified_times(client, story):
    page = client.get(story.get_absolute_url()).content.decode()
    json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    meta = re.search(r'<meta property="article:modified_time" content="([^"]+)"', page)[1]
    sitemap = ET.fromstring(client.get("/sitemap-articles.xml").content)
    lastmod = sitemap.find(f"{SITEMAP}url/{SITEMAP}lastmod").text
    feed = feedparser.parse(client.get(reverse("articles:atom_feed")).content)
    return {
        "JSON-LD dateModified": datetime.datetime.fromisoformat(json_ld["dateModified"]),
        "article:modified_time": datetime.datetime.fromisoformat(meta),
        "sitemap lastmod": datetime.datetime.fromisoformat(lastmod),
        "feed updated": datetime.datetime.fromisoformat(feed.entries[0].updated),
    }


def test_after_a_correction_every_surface_gives_the_same_modified_time(client, time_machine):
    time_machine.move_to(PUBLISHED + datetime.timedelta(hours=1), tick=False)
    story = ArticleFactory(publish_at=PUBLISHED)
    assert set(modified_times(client, story).values()) == {PUBLISHED}

    corrected_at = PUBLISHED + datetime.timedelta(hours=5)
    time_machine.move_to(corrected_at, tick=False)
    CorrectionFactory(article=story)

    times = modified_times(client, story)
    assert set(times.values()) == {corrected_at}, times
    story.refresh_from_db()
    assert story.reader_modified_at == corrected_at


def test_a_significant_update_moves_the_modified_time_and_a_typo_fix_does_not(client, time_machine):
    editor = staff_user("edith", "Editor")
    time_machine.move_to(PUBLISHED + datetime.timedelta(hours=1), tick=False)
    story = ArticleFactory(publish_at=PUBLISHED)

    workflow.save_article(article=story, by=editor)
    assert set(modified_times(client, story).values()) == {PUBLISHED}

    updated_at = PUBLISHED + datetime.timedelta(hours=2)
    time_machine.move_to(updated_at, tick=False)
    workflow.save_article(article=story, by=editor, significant_update=True)
    assert set(modified_times(client, story).values()) == {updated_at}


def test_deleting_a_correction_moves_the_modified_time_back(time_machine):
    time_machine.move_to(PUBLISHED + datetime.timedelta(hours=3), tick=False)
    story = ArticleFactory(publish_at=PUBLISHED)
    correction = CorrectionFactory(article=story)
    correction.delete()
    story.refresh_from_db()
    assert story.reader_modified_at == PUBLISHED


# --- status changes are logged whoever makes them -----------------------------------------


def status_log(story):
    return list(
        LogEntry.objects.filter(object_id=str(story.pk), change_message__startswith="Status:")
        .order_by("pk")
        .values_list("user__username", "change_message")
    )


def test_the_admin_form_logs_a_status_change(client):
    editor = staff_user("edith", "Editor")
    story = ArticleFactory(in_review=True)
    from tests.admin_forms import article_form_data

    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_change", args=[story.pk]), article_form_data(story, status="draft")
    )

    assert status_log(story) == [("edith", "Status: In review → Draft")]


def test_a_bulk_action_logs_each_status_change(client):
    editor = staff_user("edith", "Editor")
    stories = [ArticleFactory(in_review=True), ArticleFactory(draft=True)]
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [s.pk for s in stories]},
    )

    assert status_log(stories[0]) == [("edith", "Status: In review → Published")]
    assert status_log(stories[1]) == [("edith", "Status: Draft → Published")]


def test_a_story_published_on_import_has_its_status_log_entry():
    editor = staff_user("edith", "Editor")
    import_wire(WIRE_SAMPLES / "nitf" / "story.xml", by=editor, publish=True, section=_world())

    story = Article.objects.get()
    assert story.is_public
    assert status_log(story) == [("edith", "Status: New → Published")]


def test_an_import_without_a_user_is_logged_under_the_system_account():
    import_wire(WIRE_SAMPLES / "nitf" / "story.xml", section=_world())

    story = Article.objects.get()
    assert status_log(story) == [(workflow.SYSTEM_USERNAME, "Status: New → In review")]
    assert not Contributor.objects.filter(user__username=workflow.SYSTEM_USERNAME).exists()


def test_a_new_draft_is_not_a_status_change():
    reporter = staff_user("riley", "Reporter")
    story = workflow.save_article(article=ArticleFactory.build(draft=True, section=_world()), by=reporter)
    assert status_log(story) == []
    assert story.created_by == reporter and story.version == 1


def _world():
    from tests.factories import SectionFactory

    return SectionFactory(name="World", slug="world")


# --- own or bylined: one rule for editing, previewing, the desk and imports -----------------


def test_every_caller_agrees_on_own_or_bylined_stories(client):
    reporter = staff_user("riley", "Reporter")
    ContributorFactory(user=reporter)
    own = ArticleFactory(draft=True, created_by=reporter)
    bylined = ArticleFactory(draft=True)
    BylineFactory(article=bylined, contributor=reporter.contributor)
    other = ArticleFactory(draft=True)

    expected = {own.pk, bylined.pk}
    stories = [own, bylined, other]
    assert set(Article.objects.own_or_bylined(reporter).values_list("pk", flat=True)) == expected
    assert {s.pk for s in stories if workflow.can_edit(reporter, s)} == expected
    assert {s.pk for s in stories if workflow.can_preview(reporter, s)} == expected
    client.force_login(reporter)
    assert {
        s.pk for s in stories if client.get(reverse("articles:preview", args=[s.pk])).status_code == 200
    } == (expected)
    change_urls = {s.pk: reverse("admin:articles_article_change", args=[s.pk]) for s in stories}
    editable = {pk for pk, url in change_urls.items() if b'name="_save"' in client.get(url).content}
    assert editable == expected
    desk = Template(
        "{% load desk %}{% editors_desk user as desk %}{% for a in desk.my_drafts %}{{ a.pk }},{% endfor %}"
    )
    shown = {int(pk) for pk in desk.render(Context({"user": reporter})).split(",") if pk}
    assert shown == expected


# --- slugs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: Contributor.objects.create(name="Jane Doe"),
        lambda: ArticleFactory(headline="Jane Doe", slug=""),
    ],
    ids=["contributor", "article"],
)
def test_a_slug_taken_between_read_and_write_gets_the_next_number(make, monkeypatch):
    rivals = {"contributor": ContributorFactory(name="Rival"), "article": ArticleFactory(headline="Rival")}
    for rival in rivals.values():
        type(rival).objects.filter(pk=rival.pk).update(slug="jane-doe")
    # Our read of the slugs in use happened before the other editor saved theirs.
    monkeypatch.setattr(slugs, "slugs_taken", lambda queryset, base: set())

    saved = make()

    assert saved.slug == "jane-doe-2"
    assert type(saved).objects.filter(slug="jane-doe").count() == 1


def test_contributor_slugs_are_numbered_when_names_repeat():
    first, second = Contributor.objects.create(name="Ana Lima"), Contributor.objects.create(name="Ana Lima")
    assert (first.slug, second.slug) == ("ana-lima", "ana-lima-2")
