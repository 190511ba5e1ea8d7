"""The purge sent to the caches in front for every kind of change, received by a real HTTP server."""

import datetime
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from articles.caching import generation, purge
from articles.models import Article, Byline, Correction, Gallery, GalleryPhoto
from articles.photos.pipeline import update_photo
from articles.stories import workflow
from articles.stories.periodic import run_periodic_jobs
from tests.admin_forms import article_form_data
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
)
from tests.webhook_receiver import PurgeReceiver

pytestmark = pytest.mark.django_db

WIRE_SAMPLES = Path(__file__).parent / "wire_samples"
LISTING_PAGES = {"home", "feeds", "sitemaps", "search", "corrections"}


@pytest.fixture
def varnish(settings):
    with PurgeReceiver() as receiver:
        settings.NEWSROOM_PURGE_URLS = [receiver.url]
        yield receiver


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what is queued for after the commit, as a real request's transaction would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def story_keys(article, *extra):
    article = Article.objects.get(pk=article.pk)
    keys = {f"article-{article.pk}", f"section-{article.section_id}", *extra}
    keys |= {f"contributor-{b.contributor_id}" for b in article.bylines.all()}
    keys |= {f"tag-{t.pk}" for t in article.tags.all()}
    if article.lead_photo_id:
        keys.add(f"photo-{article.lead_photo_id}")
    return keys


@pytest.fixture
def draft():
    article = ArticleFactory(draft=True, tags=["Transit"], with_photo=True)
    BylineFactory(article=article)
    BylineFactory(article=article, role=Byline.Role.PHOTOGRAPHS)
    return article


@pytest.fixture
def live(varnish, draft, editor, committed):
    committed(workflow.publish_article, article=draft, by=editor)
    varnish.clear()
    return Article.objects.get(pk=draft.pk)


def test_publishing_purges_the_story_its_lists_and_every_listing_page(varnish, draft, editor, committed):
    committed(workflow.publish_article, article=draft, by=editor)
    assert varnish.purges == [story_keys(draft, *LISTING_PAGES)]


def test_publishing_in_the_admin_purges_the_same_keys(varnish, client, draft, editor, committed):
    data = article_form_data(draft, status="published", publish_at_0="", publish_at_1="")
    response = committed(client.post, reverse("admin:articles_article_change", args=[draft.pk]), data)
    assert response.status_code == 302
    assert varnish.purges == [story_keys(draft, *LISTING_PAGES)]


def test_scheduling_purges_nothing_until_the_story_goes_live(varnish, draft, editor, committed, time_machine):
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    committed(workflow.publish_article, article=draft, by=editor, at=at)
    assert varnish.purges == []

    committed(run_periodic_jobs, now=timezone.now())  # the ticker's first run, before the time
    assert varnish.purges == []
    time_machine.move_to(at + datetime.timedelta(seconds=20), tick=False)
    committed(run_periodic_jobs, now=timezone.now())
    assert varnish.purges == [story_keys(draft, *LISTING_PAGES)]
    committed(run_periodic_jobs, now=timezone.now() + datetime.timedelta(seconds=30))
    assert len(varnish.purges) == 1, "a story is purged once, when its time comes"


def test_ticker_command_runs_the_periodic_jobs_once(varnish, draft, editor, committed, time_machine):
    at = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=1)
    committed(workflow.publish_article, article=draft, by=editor, at=at)
    time_machine.move_to(at + datetime.timedelta(seconds=5), tick=False)
    committed(call_command, "run_periodic")
    assert varnish.keys == story_keys(draft, *LISTING_PAGES)


def test_significant_update_purges_the_story_feeds_sitemaps_and_search(varnish, client, live, committed):
    data = article_form_data(live, dek="A new dek.", significant_update="on")
    committed(client.post, reverse("admin:articles_article_change", args=[live.pk]), data)
    assert varnish.purges == [{f"article-{live.pk}", "feeds", "sitemaps", "search"}]


def test_typo_fix_purges_only_the_story(varnish, client, live, committed):
    data = article_form_data(live, dek="A dek with no typo.")
    committed(client.post, reverse("admin:articles_article_change", args=[live.pk]), data)
    assert varnish.purges == [{f"article-{live.pk}"}]


def test_correction_added_in_the_story_form_purges_story_corrections_and_feeds(
    varnish, client, live, committed
):
    data = article_form_data(
        live,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "An earlier version misstated the vote.",
            "corrections-0-created_at_0": timezone.localdate().isoformat(),
            "corrections-0-created_at_1": "10:00:00",
        },
    )
    response = committed(client.post, reverse("admin:articles_article_change", args=[live.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    assert live.corrections.count() == 1
    # The story's save purges its page; the correction adds the corrections page and feeds.
    assert set().union(*varnish.purges) == {f"article-{live.pk}", "corrections", "feeds"}


def test_correction_edited_in_its_own_admin_purges_story_corrections_and_feeds(
    varnish, client, live, committed
):
    correction = CorrectionFactory(article=live)
    created = timezone.localtime(correction.created_at)
    data = {
        "article": live.pk,
        "kind": "update",
        "text": "Updated with the final count.",
        "created_at_0": created.date().isoformat(),
        "created_at_1": created.strftime("%H:%M:%S"),
    }
    url = reverse("admin:articles_correction_change", args=[correction.pk])
    assert committed(client.post, url, data).status_code == 302
    assert varnish.purges == [{f"article-{live.pk}", "corrections", "feeds"}]


def test_withdrawing_purges_the_story_and_every_listing_page(varnish, live, editor, committed):
    committed(workflow.withdraw_article, article=live, by=editor)
    assert varnish.purges == [story_keys(live, *LISTING_PAGES)]


def test_deleting_a_live_story_purges_it_everywhere(varnish, client, live, committed):
    expected = story_keys(live, *LISTING_PAGES)
    url = reverse("admin:articles_article_delete", args=[live.pk])
    assert committed(client.post, url, {"post": "yes"}).status_code == 302
    assert varnish.purges == [expected]


def test_slug_change_purges_the_story_and_sitemaps(varnish, client, live, committed):
    old_url = live.get_absolute_url()
    data = article_form_data(live, slug="a-new-address")
    committed(client.post, reverse("admin:articles_article_change", args=[live.pk]), data)
    # The old and the new address both carry the story's key, and so does the redirect.
    assert varnish.purges == [{f"article-{live.pk}", "sitemaps"}]
    redirect = client.get(old_url)
    assert redirect.status_code == 301
    assert f"article-{live.pk}" in redirect["xkey"].split()


def test_byline_change_purges_old_and_new_contributors(varnish, client, live, committed):
    byline = live.bylines.get(role=Byline.Role.BY)
    old, new = byline.contributor, ContributorFactory(name="Nadia New")
    data = article_form_data(live, **{"bylines-0-contributor": new.pk})
    assert data["bylines-0-id"] == byline.pk
    committed(client.post, reverse("admin:articles_article_change", args=[live.pk]), data)
    assert varnish.purges == [{f"article-{live.pk}", f"contributor-{old.pk}", f"contributor-{new.pk}"}]


def test_wire_import_that_publishes_purges_like_publishing(varnish, committed):
    from articles.wire import importer

    section = SectionFactory(name="World", slug="world")
    summary = committed(
        importer.import_wire, WIRE_SAMPLES / "nitf" / "story.xml", publish=True, section=section
    )
    (result,) = summary.results
    story = story_keys(result.article, *LISTING_PAGES)
    # The story's purge, and its photo's once the worker has made its files.
    assert story in varnish.purges
    photo = {f"photo-{result.article.lead_photo_id}"}
    assert all(purge in (story, photo) for purge in varnish.purges)


def test_photo_caption_or_credit_change_purges_every_story_using_it(varnish, live, committed):
    photo = live.lead_photo
    photo.credit = "Jane Doe / Other Agency"
    committed(update_photo, photo=photo, changed_fields=["credit"])
    assert varnish.purges == [{f"photo-{photo.pk}"}]


def test_photo_saved_without_changes_purges_nothing(varnish, live, committed):
    committed(update_photo, photo=live.lead_photo, changed_fields=[])
    assert varnish.purges == []


def test_photo_rights_running_out_purge_the_photo_the_day_after(varnish, committed, time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 3, 10, 23, 59, 40)), tick=False)
    expiring, later = PhotoFactory(), PhotoFactory()
    expiring.rights_expire_on = datetime.date(2026, 3, 10)  # last day it may be shown
    later.rights_expire_on = datetime.date(2026, 3, 11)
    expiring.save()
    later.save()
    committed(run_periodic_jobs, now=timezone.now())
    assert varnish.purges == []
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 3, 11, 0, 0, 10)), tick=False)
    committed(run_periodic_jobs, now=timezone.now())
    assert varnish.purges == [{f"photo-{expiring.pk}"}]


def test_editing_a_draft_purges_nothing(varnish, client, draft, editor, committed):
    data = article_form_data(draft, headline="Still a draft")
    committed(client.post, reverse("admin:articles_article_change", args=[draft.pk]), data)
    assert varnish.purges == []


def test_section_rename_purges_the_section(varnish, client, editor, committed):
    editor.is_superuser = True
    editor.save()
    section = SectionFactory(name="Metro", slug="metro")
    url = reverse("admin:articles_section_change", args=[section.pk])
    data = {"name": "City", "slug": "metro", "description": "", "position": 0}
    assert committed(client.post, url, data).status_code == 302
    assert varnish.purges == [{f"section-{section.pk}"}]


def test_purge_waits_for_the_commit(varnish, draft, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.publish_article(article=draft, by=editor)
        assert varnish.purges == []
    assert len([c for c in callbacks if "purge" in getattr(c, "__qualname__", "")]) == 1


def test_no_purge_urls_sends_nothing_but_the_apps_own_pages_still_go_stale(
    settings, draft, editor, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGE_URLS = []
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish_article(article=draft, by=editor)
    queued = [result.task.name for result in default_task_backend.results]
    assert "send_purge" not in queued
    assert generation.current() == before + 1  # the home page kept in the app (pagecache.py)


def test_every_cache_gets_the_purge(settings, draft, editor, committed):
    with PurgeReceiver() as first, PurgeReceiver() as second:
        settings.NEWSROOM_PURGE_URLS = [first.url, second.url]
        committed(workflow.publish_article, article=draft, by=editor)
    assert first.purges == second.purges == [story_keys(draft, *LISTING_PAGES)]


def test_cache_down_never_fails_the_save_and_is_logged(settings, draft, editor, committed, caplog):
    with PurgeReceiver() as gone:
        url = gone.url  # a port nothing listens on once the receiver has stopped
    settings.NEWSROOM_PURGE_URLS = [url]
    with caplog.at_level(logging.ERROR, logger="articles.caching.purge"):
        committed(workflow.publish_article, article=draft, by=editor)
    assert Article.objects.get(pk=draft.pk).is_public
    assert f"Could not purge article-{draft.pk}" in caplog.text


def test_purge_refused_by_the_cache_is_logged(settings, draft, editor, committed, caplog):
    with PurgeReceiver(status=403) as refusing:
        settings.NEWSROOM_PURGE_URLS = [refusing.url]
        with caplog.at_level(logging.ERROR, logger="articles.caching.purge"):
            committed(workflow.publish_article, article=draft, by=editor)
    assert "refused the purge" in caplog.text and "HTTP 403" in caplog.text


def test_purge_sends_long_key_lists_in_several_requests(varnish, committed):
    keys = [f"article-{n}" for n in range(450)]
    committed(purge.purge, keys)
    assert [len(sent) for sent in varnish.purges] == [200, 200, 50]
    assert varnish.keys == set(keys)


def test_correction_on_an_unpublished_story_purges_nothing(varnish, draft, committed):
    Correction.objects.create(article=draft, text="A name was misspelt.")
    committed(purge.purge_correction, article=draft)
    assert varnish.purges == []


def test_story_page_names_its_body_photos_and_galleries_and_a_gallery_save_purges_them(
    client, varnish, editor, django_capture_on_commit_callbacks
):
    inline, in_gallery = PhotoFactory(), PhotoFactory()
    gallery = Gallery.objects.create(title="Harbour in the storm")
    GalleryPhoto.objects.create(gallery=gallery, photo=in_gallery, position=1)
    story = ArticleFactory(
        body=f'<p>Text.</p><figure data-photo-id="{inline.pk}"></figure>', lead_gallery=gallery
    )
    shown = client.get(story.get_absolute_url())["xkey"].split()
    assert {f"photo-{inline.pk}", f"photo-{in_gallery.pk}", f"gallery-{gallery.pk}"} <= set(shown)

    data = {
        "title": "Harbour in the storm, updated",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": str(gallery.items.get().pk),
        "items-0-gallery": str(gallery.pk),
        "items-0-position": "1",
        "items-0-photo": str(in_gallery.pk),
        "items-0-caption": "A new caption for the gallery.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:articles_gallery_change", args=[gallery.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert varnish.purges == [{f"gallery-{gallery.pk}"}]
