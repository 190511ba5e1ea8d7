"""Preview what is on screen: the form's unsaved content in the public template, never saved."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import article_form_data
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    PhotoFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


def preview_url(article=None):
    if article is None:
        return reverse("admin:articles_article_preview_new")
    return reverse("admin:articles_article_preview", args=[article.pk])


def with_row(data, index, contributor, role="by", position=0):
    data["bylines-TOTAL_FORMS"] = str(int(data["bylines-TOTAL_FORMS"]) + 1)
    data.update({
        f"bylines-{index}-contributor": contributor.pk,
        f"bylines-{index}-role": role,
        f"bylines-{index}-position": position,
    })
    return data


def test_preview_shows_unsaved_changes_and_saves_nothing(client, editor):
    story = ArticleFactory(draft=True, headline="Saved headline", dateline="LISBON")
    BylineFactory(article=story, contributor=ContributorFactory(name="Ana Ruiz"))
    photo = PhotoFactory(credit="Jane Doe / Continental Press file", caption="A tram at dusk.")
    version = story.version
    data = article_form_data(
        story,
        headline="Unsaved headline on screen",
        dek="Only in the form.",
        body="<p>LISBON — Trams ran late.</p><p>Second paragraph.</p>",
        lead_photo=photo.pk,
        tags="Transit, Lisbon",
    )
    with_row(data, 1, ContributorFactory(name="Lena Park"), role="reporting", position=1)

    response = client.post(preview_url(story), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Unsaved headline on screen" in html and "Saved headline" not in html
    assert "Only in the form." in html and "Second paragraph." in html
    assert html.count("LISBON —") == 1, "the pasted dateline is shown once"
    assert "Ana Ruiz" in html and "Reporting by" in html and "Lena Park" in html
    assert "Jane Doe / Continental Press file" in html and "A tram at dusk." in html
    assert ">Transit</a>" in html
    assert "Preview — not published" in html
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    story.refresh_from_db()
    assert (story.headline, story.version, story.lead_photo_id) == ("Saved headline", version, None)
    assert list(story.bylines.values_list("contributor__name", flat=True)) == ["Ana Ruiz"]


def test_preview_of_a_story_not_saved_yet(client, editor):
    data = article_form_data(
        Article(headline="Brand new story", section=ArticleFactory().section, status="draft"),
        edit_version="",
    )
    data["bylines-INITIAL_FORMS"] = "0"
    with_row(data, 0, ContributorFactory(name="Lena Park"))

    response = client.post(preview_url(), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Brand new story" in html and "Lena Park" in html
    assert Article.objects.filter(headline="Brand new story").count() == 0


def test_preview_with_errors_shows_them_and_saves_nothing(client, editor):
    story = ArticleFactory(draft=True, headline="Saved headline")

    response = client.post(preview_url(story), article_form_data(story, headline="", section=""))

    assert response.status_code == 400
    html = response.content.decode()
    assert "The preview cannot be shown" in html
    assert "Headline: This field is required." in html and "Section: This field is required." in html
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    story.refresh_from_db()
    assert story.headline == "Saved headline"


def test_preview_is_post_only_staff_only_and_csrf_protected(client, editor):
    story = ArticleFactory(draft=True)
    data = article_form_data(story)
    assert client.get(preview_url(story)).status_code == 405

    anonymous = Client().post(preview_url(story), data)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(editor)
    assert checked.post(preview_url(story), data).status_code == 403


def test_reporter_cannot_preview_changes_to_someone_elses_story(client):
    reporter = staff_user("riley", "Reporter")
    story = ArticleFactory(draft=True, headline="Not yours")
    client.force_login(reporter)

    response = client.post(preview_url(story), article_form_data(story, headline="Changed"))

    assert response.status_code == 403


def test_reporter_previews_their_own_draft(client):
    reporter = staff_user("riley", "Reporter")
    story = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)

    response = client.post(preview_url(story), article_form_data(story, headline="My new top"))

    assert response.status_code == 200 and "My new top" in response.content.decode()
