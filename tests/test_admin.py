import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Contributor, Photo
from tests.admin_forms import article_form_data
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PhotoFactory,
    SectionFactory,
    jpeg_upload,
)

pytestmark = pytest.mark.django_db


def story_form(section, **overrides):
    """POST data for a new story in the article admin form."""
    story = Article(headline="Headline", body="<p>Text.</p>", section=section)
    return article_form_data(story, edit_version="", **overrides)


def test_editor_creates_the_typical_story_entirely_in_the_admin(client, editor):
    section = SectionFactory(name="National", slug="national")
    reporter = ContributorFactory(name="Amara Okafor")
    photographer = ContributorFactory(name="Tomás Reyes")
    upload = client.post(
        reverse("admin:articles_photo_add"),
        {
            "image": jpeg_upload("capitol.jpg", size=(1600, 1067)),
            "caption": "The Capitol dome at dusk on Monday.",
            "alt_text": "The Capitol dome lit against a dark blue sky.",
            "credit": "Tomás Reyes / Continental Press file",
            "photographer": "",
            "source": "",
            "title": "",
            "taken_at_0": "",
            "taken_at_1": "",
            "copyright_notice": "",
            "rights_expire_on": "",
        },
    )
    assert upload.status_code == 302, upload.context["adminform"].form.errors
    photo = Photo.objects.get()
    body = (
        "<p>Congress passed the bill on Monday after a night of talks.</p>"
        "<blockquote><p>“This is a good day for commuters,” the committee chair said.</p></blockquote>"
        "<p>“We will watch how the money is spent,” said a transit advocate.</p>"
    )
    publish_at = timezone.localtime() - datetime.timedelta(minutes=5)
    response = client.post(
        reverse("admin:articles_article_add"),
        story_form(
            section,
            kicker="Transport",
            headline="Congress passes $40 billion transit bill",
            dek="The money will repair tunnels and buy electric buses over five years.",
            dateline="WASHINGTON",
            body=body,
            tags="Transit, Congress",
            lead_photo=photo.pk,
            status="published",
            **{
                "publish_at_0": publish_at.strftime("%Y-%m-%d"),
                "publish_at_1": publish_at.strftime("%H:%M:%S"),
                "bylines-TOTAL_FORMS": "2",
                "bylines-0-position": "0",
                "bylines-0-contributor": reporter.pk,
                "bylines-0-role": "by",
                "bylines-1-position": "1",
                "bylines-1-contributor": photographer.pk,
                "bylines-1-role": "photographs",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get()
    assert story.headline == "Congress passes $40 billion transit bill"
    assert story.slug == "congress-passes-40-billion-transit-bill"
    assert story.dateline == "WASHINGTON"
    assert "“This is a good day for commuters,”" in story.body
    assert story.lead_photo == photo and story.lead_caption == "The Capitol dome at dusk on Monday."
    assert story.lead_photo.credit == "Tomás Reyes / Continental Press file"
    assert sorted(story.tags.names()) == ["Congress", "Transit"]
    assert [(b.contributor.name, b.role) for b in story.bylines.all()] == [
        ("Amara Okafor", "by"),
        ("Tomás Reyes", "photographs"),
    ]
    assert story.created_by == editor and story.is_public
    assert client.get(story.get_absolute_url()).context["article"] == story


def test_duplicate_slug_is_a_form_error_not_a_crash(client, editor):
    existing = ArticleFactory(slug="budget-vote")
    response = client.post(
        reverse("admin:articles_article_add"),
        story_form(existing.section, headline="Another budget vote", slug="budget-vote"),
    )
    assert response.status_code == 200
    assert "slug" in str(response.context["adminform"].form.errors) or response.context["errors"]
    assert Article.objects.count() == 1


def test_over_long_headline_and_slug_are_form_errors(client, editor):
    section = SectionFactory()
    response = client.post(
        reverse("admin:articles_article_add"),
        story_form(section, headline="x" * 161, slug="y" * 121),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "headline" in errors and "slug" in errors
    assert not Article.objects.exists()


def test_missing_section_is_a_form_error(client, editor):
    response = client.post(
        reverse("admin:articles_article_add"), {**story_form(SectionFactory()), "section": ""}
    )
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors


def test_deleting_a_lead_photo_in_use_is_refused_with_a_message(client, editor):
    editor.is_superuser = True
    editor.save()
    story = ArticleFactory(with_photo=True)
    response = client.post(
        reverse("admin:articles_photo_delete", args=[story.lead_photo.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert "Cannot delete photo" in response.content.decode()
    assert Photo.objects.filter(pk=story.lead_photo.pk).exists()


def test_deleting_a_contributor_with_bylines_is_refused_with_a_message(client, editor):
    editor.is_superuser = True
    editor.save()
    byline = BylineFactory()
    response = client.post(
        reverse("admin:articles_contributor_delete", args=[byline.contributor.pk]), {"post": "yes"}
    )
    assert response.status_code == 200
    assert "Cannot delete contributor" in response.content.decode()
    assert Contributor.objects.filter(pk=byline.contributor.pk).exists()


def make_stories(count):
    section = SectionFactory(name="World", slug="world")
    for _ in range(count):
        story = ArticleFactory(section=section, with_photo=True, tags=["Climate", "Energy"])
        for role in (Byline.Role.BY, Byline.Role.REPORTING, Byline.Role.PHOTOGRAPHS):
            BylineFactory(article=story, role=role)


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    return len(queries), response


def test_changelist_query_count_does_not_grow_with_rows(client, editor):
    make_stories(5)
    few, _ = changelist_queries(client)
    make_stories(45)
    many, response = changelist_queries(client)
    assert response.context["cl"].result_count == 50
    assert few == many
    assert many <= 15


def test_changelist_shows_thumbnail_status_and_bylines(client, editor):
    story = ArticleFactory(with_photo=True, scheduled=True)
    byline = BylineFactory(article=story)
    _, response = changelist_queries(client)
    html = response.content.decode()
    thumbnail = story.lead_photo.rendition(128, square=True)
    assert f'src="{thumbnail.file.url}" width="64" height="64"' in html
    assert story.lead_photo.image.url not in html  # never the full-size master as a thumbnail
    assert "Scheduled" in html
    assert f"By {byline.contributor.name}" in html


def test_changelist_search_and_filters(client, editor):
    match = ArticleFactory(headline="Harbour dredging begins")
    other = ArticleFactory(headline="Unrelated")
    byline = BylineFactory(article=match)
    BylineFactory(article=other)  # Django hides (and ignores) a filter with only one choice
    url = reverse("admin:articles_article_changelist")
    for query in (
        {"q": "dredging"},
        {"status__exact": "published", "q": "Harbour"},
        {"bylines__contributor__id__exact": byline.contributor.pk},
    ):
        response = client.get(url, query)
        assert list(response.context["cl"].result_list) == [match], query


@pytest.mark.parametrize(
    "action, status",
    [("publish_now", "published"), ("send_back_to_draft", "draft"), ("withdraw", "withdrawn")],
)
def test_bulk_actions_change_status_and_log_it(client, editor, action, status):
    stories = [ArticleFactory(in_review=True), ArticleFactory(in_review=True)]
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [s.pk for s in stories]},
    )
    assert response.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {status}
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(change_message__startswith="Status: In review").count() == 2


def test_publish_now_does_not_move_a_live_storys_date(client, editor):
    story = ArticleFactory()
    url = story.get_absolute_url()
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.get_absolute_url() == url


def test_photo_admin_rejects_a_non_image_with_a_message(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("admin:articles_photo_add"),
        {"image": SimpleUploadedFile("evil.jpg", b"<?php system($_GET['c']); ?>"), "caption": "x"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"]
    assert not Photo.objects.exists()


def test_photo_admin_search_by_credit(client, editor):
    wanted = PhotoFactory(credit="Nadia Haddad / Harbour Images")
    PhotoFactory(credit="Someone Else")
    response = client.get(reverse("admin:articles_photo_changelist"), {"q": "Haddad"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_lead_photo_preview_shows_the_photo(client, editor):
    story = ArticleFactory(with_photo=True)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    preview = story.lead_photo.rendition(480)
    assert f'src="{preview.file.url}" width="240"' in html and story.lead_photo.credit in html
    assert story.lead_photo.image.url not in html


@pytest.mark.parametrize("name", ["article", "photo", "contributor", "section", "correction"])
def test_admin_pages_load(client, editor, name):
    editor.is_superuser = True
    editor.save()
    ArticleFactory(with_photo=True)
    for view in ("changelist", "add"):
        response = client.get(reverse(f"admin:articles_{name}_{view}"))
        assert response.status_code == 200
        assert response.context["opts"].model_name == name
        if view == "changelist":
            expected = 1 if name in ("article", "photo", "section") else 0
            assert response.context["cl"].result_count == expected
        else:
            assert response.context["adminform"].form.instance.pk is None


def test_lead_photo_picker_shows_thumbnails_and_credits(client, editor):
    photo = PhotoFactory(caption="Ferry at dawn", credit="Nadia Haddad / Harbour Images")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "lead_photo", "term": "Ferry"},
    )
    [result] = response.json()["results"]
    assert result["id"] == str(photo.pk)
    assert result["credit"] == "Nadia Haddad / Harbour Images"
    square = photo.renditions.filter(square=True).order_by("width").first()
    assert result["thumbnail"] == square.file.url
