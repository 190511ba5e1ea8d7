"""Embargoes and wire licence expiry: nobody makes an embargoed story public early, and an
expired licence withdraws the story by itself."""

import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, WebhookDelivery
from articles.stories import preview, workflow
from articles.stories.periodic import run_periodic_jobs
from articles.wire.importer import import_wire
from articles.wire.sources import parse_wire_file
from tests.admin_forms import article_form_data
from tests.factories import ArticleFactory, BylineFactory, SectionFactory, UserFactory
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "wire_samples"


def later(**delta):
    return timezone.now() + datetime.timedelta(**delta)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    return time_machine


def test_published_excludes_a_story_whose_embargo_has_not_ended(frozen):
    story = ArticleFactory()
    # Straight to the database, past save(): the queryset alone must keep it out.
    Article.objects.filter(pk=story.pk).update(embargo_until=later(hours=1))
    assert not Article.objects.published().filter(pk=story.pk).exists()
    frozen.shift(datetime.timedelta(hours=1))
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_publishing_under_embargo_schedules_the_story_for_the_embargo_end(frozen):
    embargo = later(hours=3, microseconds=250)
    story = ArticleFactory(draft=True, embargo_until=embargo)
    workflow.publish_article(article=story, by=None)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED and story.is_scheduled
    assert embargo <= story.publish_at < embargo + datetime.timedelta(seconds=1)
    assert not story.is_public


def test_editor_publishing_under_embargo_is_told_it_was_scheduled(client, frozen):
    editor = UserFactory(username="edith", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    story = ArticleFactory(draft=True)
    BylineFactory(article=story)  # publishing with no byline would first ask to confirm
    embargo = timezone.localtime(later(hours=2))
    data = article_form_data(
        story,
        status="published",
        embargo_until_0=embargo.strftime("%Y-%m-%d"),
        embargo_until_1=embargo.strftime("%H:%M:%S"),
    )
    response = client.post(f"/admin/articles/article/{story.pk}/change/", data, follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Embargoed: scheduled for the embargo's end") for message in messages), (
        messages
    )
    story.refresh_from_db()
    assert story.publish_at == embargo and not story.is_public


def test_share_link_and_staff_preview_show_the_embargo_banner(client, admin_client, frozen):
    story = ArticleFactory(draft=True, embargo_until=later(hours=5))
    for response in (client.get(preview.share_url(story)), admin_client.get(f"/preview/{story.pk}/")):
        assert response.status_code == 200
        page = response.content.decode()
        assert "EMBARGOED until" in page and 'class="preview-banner embargo-banner"' in page
    public = ArticleFactory()
    assert "EMBARGOED" not in admin_client.get(f"/preview/{public.pk}/").content.decode()


def test_embargoed_story_sends_no_webhook_until_its_embargo_ends(frozen, django_capture_on_commit_callbacks):
    from articles.models import Webhook

    with Receiver() as receiver:
        Webhook.objects.create(name="App", url=receiver.url)
        run_periodic_jobs()
        story = ArticleFactory(draft=True, embargo_until=later(minutes=20))
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish_article(article=story, by=None)
        frozen.shift(datetime.timedelta(minutes=10))
        run_periodic_jobs()
        assert receiver.received == []
        frozen.shift(datetime.timedelta(minutes=11))
        run_periodic_jobs()
        [(_headers, body)] = receiver.received
    assert json.loads(body)["event"] == "published" and json.loads(body)["story"]["id"] == story.pk


def test_story_past_its_licence_is_withdrawn_and_its_history_says_why(client, frozen):
    story = ArticleFactory(expires_at=later(minutes=30))
    run_periodic_jobs()
    assert client.get(story.get_absolute_url()).status_code == 200
    frozen.shift(datetime.timedelta(minutes=31))
    assert run_periodic_jobs()["withdrawn"] == 1
    story.refresh_from_db()
    assert story.status == Article.Status.WITHDRAWN
    assert client.get(story.get_absolute_url()).status_code == 410
    assert client.get(f"/api/v1/stories/{story.pk}").status_code == 410
    messages = list(LogEntry.objects.filter(object_id=str(story.pk)).values_list("change_message", flat=True))
    assert any(message.startswith("Withdrawn: wire licence expired at") for message in messages), messages
    assert run_periodic_jobs()["withdrawn"] == 0


def test_history_page_shows_why_the_story_was_withdrawn(admin_client, frozen):
    story = ArticleFactory(expires_at=later(minutes=1))
    frozen.shift(datetime.timedelta(minutes=2))
    run_periodic_jobs()
    history = admin_client.get(f"/admin/articles/article/{story.pk}/history/").content.decode()
    assert "Withdrawn: wire licence expired at" in history


def nitf_with(tmp_path, docdata_extra):
    folder = tmp_path / "nitf"
    shutil.copytree(SAMPLES / "nitf", folder)
    path = folder / "story.xml"
    text = path.read_text().replace("<docdata>", f"<docdata>{docdata_extra}", 1)
    path.write_text(text)
    return path


def test_nitf_release_and_expiry_dates_are_read(tmp_path):
    path = nitf_with(
        tmp_path, '<date.release norm="20261124T140000Z"/><date.expire norm="20261201T000000Z"/>'
    )
    [story] = parse_wire_file(path)
    assert story.embargoed_until == datetime.datetime(2026, 11, 24, 14, tzinfo=datetime.UTC)
    assert story.expires_at == datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


def test_newsml_embargoed_and_expires_are_read(tmp_path):
    folder = tmp_path / "newsml"
    shutil.copytree(SAMPLES / "newsml", folder)
    path = folder / "newsitem.xml"
    text = path.read_text().replace(
        "</itemMeta>",
        "<embargoed>2026-11-24T14:00:00Z</embargoed><expires>2026-12-01T00:00:00+01:00</expires></itemMeta>",
        1,
    )
    path.write_text(text)
    [story] = parse_wire_file(path)
    assert story.embargoed_until == datetime.datetime(2026, 11, 24, 14, tzinfo=datetime.UTC)
    assert story.expires_at == datetime.datetime(2026, 11, 30, 23, tzinfo=datetime.UTC)


def test_import_published_under_embargo_waits_for_the_embargo(client, tmp_path, frozen):
    SectionFactory()
    embargo = later(hours=4)
    path = nitf_with(tmp_path, f'<date.release norm="{embargo:%Y%m%dT%H%M%SZ}"/>')
    summary = import_wire(path, publish=True)
    [result] = summary.results
    story = result.article
    story.refresh_from_db()
    assert story.embargo_until == embargo and story.publish_at == embargo
    assert client.get(f"/api/v1/stories/{story.pk}").status_code == 404
    assert client.get("/feeds/latest/").content.count(story.headline.encode()) == 0
    assert not WebhookDelivery.objects.exists()
