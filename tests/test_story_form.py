"""The story form's first hour: workflow buttons, bylines, a pasted dateline, errors named at
the top, and the dek box. Everything through the real admin views."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Contributor
from articles.stories.dateline import remove_repeated_dateline
from tests.admin_forms import article_form_data
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 29, 14, 5, 30, tzinfo=datetime.UTC)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post(client, user, article, **overrides):
    client.force_login(user)
    return client.post(change_url(article), article_form_data(article, **overrides))


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def with_byline(article):
    BylineFactory(article=article, contributor=ContributorFactory(name="Ana Ruiz"))
    return article


# --- workflow buttons ---------------------------------------------------------------------


def test_reporter_gets_send_for_review_and_editor_publish_and_schedule(client, reporter, editor):
    story = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)
    html = client.get(change_url(story)).content.decode()
    assert 'name="_send_for_review" title=' in html and 'value="Send for review"' in html
    assert 'name="_publish_now"' not in html and 'name="_schedule"' not in html
    assert 'name="_save"' in html and 'name="_continue"' in html, "Save buttons stay"

    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert 'value="Publish now" name="_publish_now"' in html and 'value="Schedule…" name="_schedule"' in html
    assert 'name="_send_for_review"' not in html


def test_send_for_review_button_moves_the_story_and_says_so(client, reporter):
    story = with_byline(ArticleFactory(draft=True, created_by=reporter))

    response = post(client, reporter, story, _send_for_review="Send for review", headline="Fresh top")

    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.status, story.headline) == ("review", "Fresh top")
    assert "Sent to the editors for review." in said(response)


def test_publish_now_with_an_empty_time_publishes_now_and_says_the_time(client, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    story = with_byline(ArticleFactory(in_review=True))

    response = post(client, editor, story, _publish_now="Publish now", publish_at_0="", publish_at_1="")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_public and story.publish_at == NOW.replace(microsecond=0, second=30)
    local = timezone.localtime(story.publish_at)
    assert f"Published now at {local:%H:%M}." in said(response)


def test_schedule_button_schedules_at_the_forms_time_and_says_when(client, editor, time_machine):
    time_machine.move_to(NOW, tick=False)
    story = with_byline(ArticleFactory(draft=True))
    later = timezone.localtime() + datetime.timedelta(hours=16)

    response = post(
        client, editor, story, _schedule="Schedule…",
        publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S"),
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_scheduled and not Article.objects.published().exists()
    assert f"Scheduled for {later:%-d %b %Y, %H:%M}." in said(response)


@pytest.mark.parametrize("when", ["", "past"])
def test_schedule_without_a_future_time_says_what_is_missing(client, editor, when):
    story = with_byline(ArticleFactory(draft=True))
    past = timezone.localtime() - datetime.timedelta(hours=1)
    day, time = (past.strftime("%Y-%m-%d"), past.strftime("%H:%M:%S")) if when else ("", "")

    response = post(client, editor, story, _schedule="Schedule…", publish_at_0=day, publish_at_1=time)

    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["publish_at"]
    assert message.startswith("To schedule the story, enter a date and time in the future here")
    story.refresh_from_db()
    assert story.status == "draft"


@pytest.mark.parametrize("button", ["_publish_now", "_schedule"])
def test_reporter_pressing_a_publish_button_is_refused(client, reporter, button):
    story = with_byline(ArticleFactory(draft=True, created_by=reporter))
    later = timezone.localtime() + datetime.timedelta(days=1)

    response = post(
        client, reporter, story, **{button: "x"},
        publish_at_0=later.strftime("%Y-%m-%d"), publish_at_1=later.strftime("%H:%M:%S"),
    )

    assert response.status_code == 200
    assert "Only editors can publish or schedule a story." in response.content.decode()
    story.refresh_from_db()
    assert story.status == "draft" and story.publish_at is None


# --- bylines ------------------------------------------------------------------------------


def test_reporter_may_add_a_contributor_from_the_byline_row(client, reporter):
    story = ArticleFactory(draft=True, created_by=reporter)
    client.force_login(reporter)
    html = client.get(change_url(story)).content.decode()
    assert 'id="add_id_bylines-0-contributor"' in html, "the byline row offers the + pop-up"

    add = reverse("admin:articles_contributor_add") + "?_to_field=id&_popup=1"
    form = client.get(add)
    assert form.status_code == 200 and "id_user" not in form.content.decode()
    response = client.post(add, {"name": "Lena Park", "kind": "person", "_popup": "1", "_to_field": "id"})

    assert response.status_code == 200 and "popup_response" in response.content.decode()
    assert Contributor.objects.filter(name="Lena Park", user=None).exists()


def test_saving_without_a_byline_warns_but_saves_the_draft(client, reporter):
    story = ArticleFactory(draft=True, created_by=reporter)

    response = post(client, reporter, story, headline="No byline yet")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "No byline yet"
    assert any(message.startswith("This story has no byline yet.") for message in said(response))


def test_saving_with_a_byline_does_not_warn(client, reporter):
    story = with_byline(ArticleFactory(draft=True, created_by=reporter))
    response = post(client, reporter, story)
    assert not any("no byline" in message for message in said(response))


@pytest.mark.parametrize("how", [{"_publish_now": "Publish now"}, {"status": "published"}])
def test_publishing_without_a_byline_asks_to_confirm_then_publishes(client, editor, how):
    story = ArticleFactory(in_review=True)

    first = post(client, editor, story, **how)

    assert first.status_code == 200
    html = first.content.decode()
    assert "This story has no byline." in html and 'name="publish_without_byline"' in html
    story.refresh_from_db()
    assert story.status == "review"

    second = post(client, editor, story, **how, publish_without_byline="on")

    assert second.status_code == 302
    story.refresh_from_db()
    assert story.is_public


# --- dateline -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<p>WASHINGTON — The Senate voted.</p>",
        "<p>WASHINGTON (Continental Press) — The Senate voted.</p>",
        "<p>Washington - The Senate voted.</p>",
        "<p><strong>WASHINGTON</strong> — The Senate voted.</p>",
        "<p><strong>WASHINGTON —</strong> The Senate voted.</p>",
        "<p>WASHINGTON—The Senate voted.</p>",
    ],
)
def test_a_pasted_dateline_is_found(body):
    assert remove_repeated_dateline(body, "WASHINGTON") == ("<p>The Senate voted.</p>", True)


@pytest.mark.parametrize(
    "body",
    [
        "<p>WASHINGTON STATE officials said.</p>",
        "<p>The Senate met in WASHINGTON — again.</p>",
        "<p>The Senate voted.</p><p>WASHINGTON — later.</p>",
    ],
)
def test_the_place_elsewhere_in_the_text_stays(body):
    assert remove_repeated_dateline(body, "WASHINGTON") == (body, False)


def test_dateline_pasted_into_the_body_is_removed_on_save_with_a_message(client, editor):
    story = with_byline(ArticleFactory(dateline="WASHINGTON"))
    body = "<p>WASHINGTON (Continental Press) — The Senate voted.</p><p>It was close.</p>"

    response = post(client, editor, story, body=body)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>The Senate voted.</p><p>It was close.</p>"
    assert any("started with the dateline “WASHINGTON —” again" in m for m in said(response))
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.count("WASHINGTON —") == 1


def test_readers_see_the_dateline_once_even_for_stories_saved_before(client):
    story = ArticleFactory(dateline="WASHINGTON")
    Article.objects.filter(pk=story.pk).update(body="<p>WASHINGTON — The Senate voted.</p>")

    page = client.get(story.get_absolute_url()).content.decode()

    assert page.count("WASHINGTON —") == 1
    assert '<p><span class="dateline">WASHINGTON —</span> The Senate voted.</p>' in page


# --- errors and the dek -------------------------------------------------------------------


def test_error_summary_names_each_field_with_a_link(client, editor):
    story = with_byline(ArticleFactory(draft=True))

    response = post(
        client, editor, story, headline="", section="", publish_at_0="2018-13-45", publish_at_1="10:00"
    )

    html = response.content.decode()
    summary = html[html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))]
    assert '<a href="#id_headline">Headline</a>: This field is required.' in summary
    assert '<a href="#id_section">Section</a>' in summary
    assert '<a href="#id_publish_at_0">Publish at</a>: Enter a valid date' in summary
    assert 'id="id_headline"' in html and 'id="id_publish_at_0"' in html, "each link has a target"


def test_dek_is_a_three_row_box_wide_enough_to_read(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert '<textarea name="dek" cols="40" rows="3" class="newsroom-dek" maxlength="300"' in html
    css = (settings.BASE_DIR / "articles/static/articles/admin/newsroom-admin.css").read_text()
    assert ".field-dek textarea.newsroom-dek { width: 100%;" in css


def test_new_story_form_offers_preview_and_the_roles_buttons(client, reporter):
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert f'formaction="{reverse("admin:articles_article_preview_new")}"' in html
    assert 'name="_send_for_review"' in html
