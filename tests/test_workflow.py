"""The editorial workflow through the real admin: roles, scheduling, previews, revisions, conflicts."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from articles.stories import preview, workflow
from tests.admin_forms import article_form_data
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    UserFactory,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_editor():
    """Unlike the photo desk's, this one may reach the admin: refusals there are about the group."""
    return staff_user("pat", "Photo editor", first_name="Pat")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def bylined(article, user):
    BylineFactory(article=article, contributor=user.contributor)
    return article


def post_change(client, user, article, **overrides):
    client.force_login(user)
    return client.post(change_url(article), article_form_data(article, **overrides))


# --- roles -------------------------------------------------------------------


def test_reporter_creates_a_draft(client, reporter):
    client.force_login(reporter)
    section = SectionFactory()
    data = article_form_data(
        Article(headline="Water rates rise", section=section, status="draft"),
        edit_version="",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-contributor": reporter.contributor.pk,
            "bylines-0-role": "by",
            "bylines-0-position": "0",
        },
    )
    data["bylines-INITIAL_FORMS"] = "0"
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == "draft" and story.created_by == reporter


def test_reporter_sends_own_draft_to_review(client, reporter):
    story = ArticleFactory(draft=True, created_by=reporter)
    assert post_change(client, reporter, story, status="review").status_code == 302
    story.refresh_from_db()
    assert story.status == "review"


def test_reporter_edits_a_draft_they_are_bylined_on(client, reporter):
    story = bylined(ArticleFactory(draft=True), reporter)
    assert post_change(client, reporter, story, headline="New top").status_code == 302
    story.refresh_from_db()
    assert story.headline == "New top"


@pytest.mark.parametrize("status", ["published", "withdrawn"])
def test_reporter_cannot_publish_or_withdraw_with_a_forged_post(client, reporter, status):
    story = ArticleFactory(draft=True, created_by=reporter)
    response = post_change(client, reporter, story, status=status)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.status == "draft"


def test_reporter_cannot_schedule_a_story(client, reporter):
    story = ArticleFactory(draft=True, created_by=reporter)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    post_change(client, reporter, story, publish_at_0=tomorrow.strftime("%Y-%m-%d"), publish_at_1="09:00:00")
    story.refresh_from_db()
    assert story.publish_at is None


def test_reporter_cannot_edit_a_published_story_even_when_bylined(client, reporter):
    story = bylined(ArticleFactory(), reporter)
    assert post_change(client, reporter, story, headline="Rewritten").status_code == 403
    story.refresh_from_db()
    assert story.headline != "Rewritten"


def test_reporter_cannot_edit_someone_elses_draft(client, reporter):
    story = ArticleFactory(draft=True)
    assert post_change(client, reporter, story, headline="Mine now").status_code == 403


@pytest.mark.parametrize("action", ["publish_now", "withdraw", "send_back_to_draft"])
def test_reporter_cannot_run_status_actions_with_a_forged_post(client, reporter, action):
    story = ArticleFactory(in_review=True, created_by=reporter)
    client.force_login(reporter)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == "review"


def test_photo_editor_cannot_change_a_storys_status(client, photo_editor):
    story = ArticleFactory(in_review=True)
    assert post_change(client, photo_editor, story, status="published").status_code == 403
    story.refresh_from_db()
    assert story.status == "review"


@pytest.mark.parametrize(
    "status, public",
    [("published", True), ("withdrawn", False), ("draft", False), ("review", False)],
)
def test_editor_moves_a_story_to_any_state_and_it_is_logged(client, editor, status, public):
    story = ArticleFactory(in_review=True)
    BylineFactory(article=story)  # publishing without a byline asks to confirm
    now = timezone.localtime() - datetime.timedelta(minutes=1)
    response = post_change(
        client,
        editor,
        story,
        status=status,
        publish_at_0=now.strftime("%Y-%m-%d"),
        publish_at_1=now.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == status and story.is_public == public
    if status != "review":
        entry = LogEntry.objects.get(change_message__startswith="Status:")
        assert entry.user == editor and entry.change_message.startswith("Status: In review → ")


def test_editor_schedules_a_story(client, editor):
    story = ArticleFactory(in_review=True)
    BylineFactory(article=story)  # publishing without a byline asks to confirm
    later = timezone.localtime() + datetime.timedelta(hours=3)
    post_change(
        client,
        editor,
        story,
        status="published",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
    )
    story.refresh_from_db()
    assert story.is_scheduled and not Article.objects.published().exists()


def test_superuser_can_do_everything(client):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    story = ArticleFactory(in_review=True)
    BylineFactory(article=story)  # publishing without a byline asks to confirm
    response = post_change(
        client, boss, story, status="published", publish_at_0="2026-01-01", publish_at_1="08:00:00"
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_public and story.last_edited_by == boss
    assert timezone.localtime(story.publish_at).strftime("%Y-%m-%d %H:%M") == "2026-01-01 08:00"
    assert client.get(story.get_absolute_url()).status_code == 200


# --- scheduling --------------------------------------------------------------


def test_scheduled_story_goes_live_exactly_at_its_time(client, time_machine):
    moment = datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment - datetime.timedelta(hours=1), tick=False)
    story = ArticleFactory(publish_at=moment)
    url = story.get_absolute_url()
    time_machine.move_to(moment - datetime.timedelta(seconds=1), tick=False)
    assert client.get(url).status_code == 404
    assert not Article.objects.published().exists()
    time_machine.move_to(moment, tick=False)
    assert client.get(url).status_code == 200
    assert list(Article.objects.published()) == [story]


def test_first_published_at_is_kept_when_a_live_story_is_republished(client, editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC), tick=False)
    story = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(hours=5))
    first = story.first_published_at
    post_change(client, editor, story, headline="Changed")
    story.refresh_from_db()
    assert story.first_published_at == first


def test_only_a_significant_update_moves_the_public_updated_time(client, editor):
    story = ArticleFactory()
    post_change(client, editor, story, dek="Typo fixed.")
    story.refresh_from_db()
    assert story.significantly_updated_at is None
    post_change(client, editor, story, dek="New figures.", significant_update="on")
    story.refresh_from_db()
    assert story.significantly_updated_at is not None


def test_withdrawn_story_answers_410(client):
    story = ArticleFactory()
    url = story.get_absolute_url()
    story.status = Article.Status.WITHDRAWN
    story.save()
    response = client.get(url)
    assert response.status_code == 410
    assert story.headline not in response.content.decode()


# --- preview -----------------------------------------------------------------


def test_editor_previews_a_draft_with_banner_noindex_and_no_store(client, editor):
    story = ArticleFactory(draft=True, headline="Secret plan")
    client.force_login(editor)
    response = client.get(reverse("articles:preview", args=[story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret plan" in html and "Preview — not published" in html
    assert 'name="robots" content="noindex' in html
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]


def test_bylined_reporter_previews_but_others_do_not(client, reporter):
    mine = bylined(ArticleFactory(draft=True), reporter)
    other = ArticleFactory(draft=True)
    client.force_login(reporter)
    assert client.get(reverse("articles:preview", args=[mine.pk])).status_code == 200
    assert client.get(reverse("articles:preview", args=[other.pk])).status_code == 404


def test_anonymous_staff_preview_asks_to_log_in(client):
    story = ArticleFactory(draft=True)
    response = client.get(reverse("articles:preview", args=[story.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_share_link_works_without_login_until_it_expires(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 6, 0, tzinfo=datetime.UTC), tick=False)
    story = ArticleFactory(draft=True, headline="Embargoed budget")
    url = preview.share_url(story)
    response = client.get(url)
    assert response.status_code == 200 and "Embargoed budget" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    time_machine.shift(datetime.timedelta(hours=47, minutes=59))
    assert client.get(url).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=2))
    assert client.get(url).status_code == 404


def test_revoked_share_link_answers_404(client, editor):
    story = ArticleFactory(draft=True)
    url = preview.share_url(story)
    post_change(client, editor, story, revoke_share_links="on")
    client.logout()
    assert client.get(url).status_code == 404
    story.refresh_from_db()
    assert client.get(preview.share_url(story)).status_code == 200


def test_tampered_share_link_answers_404(client):
    story = ArticleFactory(draft=True)
    url = preview.share_url(story)
    assert client.get(url[:-3] + "abc/").status_code == 404


def test_share_link_is_offered_in_the_admin(client, editor):
    story = ArticleFactory(draft=True)
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert "/preview/shared/" in html and reverse("articles:preview", args=[story.pk]) in html


# --- revisions ---------------------------------------------------------------


def test_every_admin_save_keeps_a_revision_with_who(client, editor):
    story = ArticleFactory(draft=True)
    post_change(client, editor, story, headline="First")
    story.refresh_from_db()
    post_change(client, editor, story, headline="Second")
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 2
    assert {v.revision.user for v in versions} == {editor}
    assert client.get(reverse("admin:articles_article_history", args=[story.pk])).status_code == 200


def test_revision_diff_shows_changes_and_escapes_markup(client, editor):
    story = ArticleFactory(draft=True, dek="Old dek")
    post_change(client, editor, story, headline="<script>alert('pwned')</script> Calm headline")
    story.refresh_from_db()
    post_change(
        client, editor, story, headline="Calm headline", dek="New dek", body="<p>Fresh paragraph.</p>"
    )
    older, newer = sorted(Version.objects.get_for_object(story), key=lambda v: v.pk)
    response = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]), {"from": older.pk, "to": newer.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert('pwned')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in html
    assert '<del class="newsroom-removed">Old </del>' in html
    assert '<ins class="newsroom-added">New </ins>' in html
    assert "Fresh paragraph." in html


def test_revert_restores_text_and_bylines(client, editor):
    first = ContributorFactory(name="Ann First")
    second = ContributorFactory(name="Bo Second")
    story = ArticleFactory(draft=True, headline="Original")
    BylineFactory(article=story, contributor=first)
    post_change(client, editor, story)
    story.refresh_from_db()
    data = article_form_data(story, headline="Changed")
    data["bylines-0-contributor"] = second.pk
    client.post(change_url(story), data)
    story.refresh_from_db()
    assert story.headline == "Changed"
    assert [b.contributor for b in story.bylines.all()] == [second]
    original = min(Version.objects.get_for_object(story), key=lambda v: v.pk)
    revision_url = reverse("admin:articles_article_revision", args=[story.pk, original.pk])
    form_page = client.get(revision_url)
    assert form_page.status_code == 200
    form = form_page.context["adminform"].form
    assert form["headline"].value() == "Original"
    story.refresh_from_db()
    revert = article_form_data(story, headline="Original", edit_version=form["edit_version"].value())
    revert["bylines-0-contributor"] = first.pk
    assert client.post(revision_url, revert).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Original"
    assert [b.contributor for b in story.bylines.all()] == [first]
    assert story.status == "draft"


# --- edit conflicts ----------------------------------------------------------


def test_stale_save_is_refused_naming_who_saved_and_keeping_the_text(client, editor, reporter):
    story = bylined(ArticleFactory(draft=True, headline="Start"), reporter)
    opened_by_editor = article_form_data(story)  # the editor's page, loaded now
    assert post_change(client, reporter, story, headline="Reporter's version").status_code == 302

    client.force_login(editor)
    stale = {**opened_by_editor, "headline": "Editor's version"}
    response = client.post(change_url(story), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riley saved this story" in html
    assert "Editor&#x27;s version" in html  # the refused text is still in the form
    assert "Reporter&#x27;s version" in html  # and the saved one is shown to compare
    story.refresh_from_db()
    assert story.headline == "Reporter's version"

    # Having seen both, the editor saves again and wins.
    form = response.context["adminform"].form
    again = {**stale, "edit_version": form["edit_version"].value()}
    assert client.post(change_url(story), again).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Editor's version"


# --- the desk ----------------------------------------------------------------


def test_admin_index_shows_the_editors_desk(client, editor):
    ArticleFactory(draft=True, headline="My draft", created_by=editor)
    ArticleFactory(in_review=True, headline="Waiting story")
    ArticleFactory(scheduled=True, headline="Tomorrow story")
    live = ArticleFactory(headline="Live story")
    live.corrections.create(text="An earlier version misspelled a name.")
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    for headline in ("My draft", "Waiting story", "Tomorrow story", "Live story"):
        assert headline in html
    assert "Correction" in html


@pytest.mark.parametrize(
    "role, actions",
    [
        ("editor", ["New story", "Upload photos", "Import wire story"]),
        ("reporter", ["New story", "Import wire story"]),
        ("photo_editor", ["Upload photos"]),
    ],
)
def test_the_desk_opens_with_the_actions_each_role_has(client, request, role, actions):
    client.force_login(request.getfixturevalue(role))
    html = client.get(reverse("admin:index")).content.decode()
    desk = html[html.index('id="newsroom-desk"') :]
    shown = re.findall(r'<a class="button[^"]*" href="[^"]+">([^<]+)</a>', desk)
    assert shown == actions
    # The actions come before the lists of stories, at the top of the desk.
    assert desk.index(actions[0]) < desk.index("<h3>") if "<h3>" in desk else True


# --- reverting never touches the workflow (review findings) ------------------


def live_story_with_two_revisions(client, editor):
    story = ArticleFactory(headline="Original live headline", featured=True)
    Article.objects.filter(pk=story.pk).update(external_id="CP-1")
    story.refresh_from_db()
    post_change(client, editor, story)
    story.refresh_from_db()
    post_change(client, editor, story, headline="Current live headline")
    story.refresh_from_db()
    return story, min(Version.objects.get_for_object(story), key=lambda v: v.pk)


def test_editor_revert_of_a_live_story_keeps_it_live(client, editor):
    story, original = live_story_with_two_revisions(client, editor)
    before = Article.objects.values(
        "status", "publish_at", "first_published_at", "featured", "external_id", "preview_key"
    ).get(pk=story.pk)
    url = reverse("admin:articles_article_revision", args=[story.pk, original.pk])
    form = client.get(url).context["adminform"].form
    assert form["status"].value() == "published"
    data = article_form_data(
        story, headline="Original live headline", edit_version=form["edit_version"].value()
    )
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Original live headline"
    after = Article.objects.values(*before).get(pk=story.pk)
    assert after == before and story.version > original.field_dict["version"]
    assert not LogEntry.objects.filter(change_message__startswith="Status:").exists()


def draft_then_published(client, editor):
    """A story saved once as a draft, then published with a new headline: two revisions."""
    story = ArticleFactory(draft=True, headline="Draft headline")
    BylineFactory(article=story)
    post_change(client, editor, story)
    story.refresh_from_db()
    assert post_change(client, editor, story, headline="Live headline", status="published").status_code == 302
    story.refresh_from_db()
    return story, min(Version.objects.get_for_object(story), key=lambda v: v.pk)


def test_revert_that_also_withdraws_logs_the_status_the_story_had(client, editor):
    story, draft_revision = draft_then_published(client, editor)
    assert draft_revision.field_dict["status"] == "draft"
    url = reverse("admin:articles_article_revision", args=[story.pk, draft_revision.pk])
    form = client.get(url).context["adminform"].form
    assert form["headline"].value() == "Draft headline" and form["status"].value() == "published"
    data = article_form_data(
        story, headline="Draft headline", status="withdrawn", edit_version=form["edit_version"].value()
    )
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.status) == ("Draft headline", "withdrawn")
    status_log = LogEntry.objects.filter(change_message__startswith="Status:").order_by("pk")
    assert [entry.change_message for entry in status_log] == [
        "Status: Draft → Published",
        "Status: Published → Withdrawn",
    ]
    latest = Version.objects.get_for_object(story).first()
    assert latest.revision.comment.startswith("Reverted to previous version")
    assert latest.revision.user == editor


def test_revert_from_a_form_opened_before_another_save_is_refused(client, editor, reporter):
    story, draft_revision = draft_then_published(client, editor)
    url = reverse("admin:articles_article_revision", args=[story.pk, draft_revision.pk])
    opened = client.get(url).context["adminform"].form["edit_version"].value()
    post_change(client, editor, story, dek="Saved meanwhile.")
    data = article_form_data(story, headline="Draft headline", edit_version=opened)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "saved this story at" in response.content.decode()
    story.refresh_from_db()
    assert (story.headline, story.dek, story.status) == ("Live headline", "Saved meanwhile.", "published")


def test_reporter_cannot_revert_a_published_story_they_are_bylined_on(client, editor, reporter):
    story, original = live_story_with_two_revisions(client, editor)
    bylined(story, reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_revision", args=[story.pk, original.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, article_form_data(story, headline="Hijacked")).status_code == 403
    story.refresh_from_db()
    assert story.headline == "Current live headline" and story.is_public


def test_revision_view_only_reverts_versions_of_that_story(client, editor):
    live = ArticleFactory(headline="Live")
    # A byline whose id equals a draft's id: django-reversion alone would accept the pair.
    shared_id = 987_654  # far above any id the suite creates, on SQLite or PostgreSQL
    byline = BylineFactory(pk=shared_id, article=live)
    draft = ArticleFactory(pk=shared_id, draft=True, headline="Draft")
    post_change(client, editor, live)
    byline_version = Version.objects.get_for_object(byline).get()
    url = reverse("admin:articles_article_revision", args=[draft.pk, byline_version.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 404
    assert client.post(url, article_form_data(draft)).status_code == 404
    live.refresh_from_db()
    assert live.headline == "Live" and live.is_public


def test_only_editors_recover_deleted_stories(client, editor, reporter):
    client.force_login(reporter)
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 200


def test_a_save_without_its_version_is_refused(client, editor):
    story = ArticleFactory(draft=True, headline="Kept")
    data = article_form_data(story, headline="Blind overwrite")
    del data["edit_version"]
    client.force_login(editor)
    response = client.post(change_url(story), data)
    assert response.status_code == 200 and "Reload the story" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Kept"


def test_compare_with_bad_revision_ids_is_404(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_compare", args=[story.pk])
    assert client.get(url, {"from": "x", "to": "1"}).status_code == 404


def test_publishing_again_keeps_the_date_of_a_story_that_was_live(editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    story = ArticleFactory(publish_at=timezone.now())
    url = story.get_absolute_url()
    workflow.return_to_draft(article=story, by=editor)
    time_machine.move_to(datetime.datetime(2026, 6, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
    workflow.publish_article(article=story, by=editor)
    assert story.get_absolute_url() == url and story.is_public


def test_share_link_stops_when_the_story_is_withdrawn(client, editor):
    story = ArticleFactory(draft=True)
    url = preview.share_url(story)
    workflow.withdraw_article(article=story, by=editor)
    assert client.get(url).status_code == 404


def test_editors_see_who_else_has_the_story_open(client, editor, reporter):
    story = bylined(ArticleFactory(draft=True), reporter)
    client.force_login(reporter)
    assert "Also open" not in client.get(change_url(story)).content.decode()
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert "Also open:" in html and "Riley" in html
    client.force_login(reporter)
    html = client.get(change_url(story)).content.decode()
    assert "Also open:" in html and "Edith" in html


def test_someone_who_can_only_read_the_story_is_not_shown_as_editing_it(client, editor, photo_editor):
    story = ArticleFactory(draft=True)
    client.force_login(photo_editor)
    assert client.get(change_url(story)).status_code == 200
    client.force_login(editor)
    assert "Also open" not in client.get(change_url(story)).content.decode()


# --- publishing with an empty time ------------------------------------------


def test_publishing_with_an_empty_time_publishes_now_and_says_when(client, editor, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 29, 14, 5, 30, tzinfo=datetime.UTC), tick=False)
    story = ArticleFactory(draft=True)
    BylineFactory(article=story)  # publishing without a byline asks to confirm

    response = post_change(client, editor, story, status="published", publish_at_0="", publish_at_1="")

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == "published"
    assert story.publish_at == timezone.now()
    shown = [str(m) for m in response.wsgi_request._messages]
    assert "The publish time was empty, so it was set to now: 29 Nov 2026, 14:05." in shown


def test_a_date_without_a_time_names_the_time(client, editor):
    story = ArticleFactory(draft=True)

    response = post_change(
        client, editor, story, status="published", publish_at_0="Jan 24 2018", publish_at_1=""
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["publish_at"] == [
        "Enter the time as well as the date, e.g. 14:30."
    ]


def test_a_wrong_date_names_the_date(client, editor):
    story = ArticleFactory(draft=True)

    response = post_change(client, editor, story, publish_at_0="24 Janvier", publish_at_1="10:00")

    assert response.context["adminform"].form.errors["publish_at"] == ["Enter a valid date, e.g. 2026-11-29."]


def test_view_on_site_opens_the_preview_until_the_story_is_public(client, editor):
    draft, scheduled, live = ArticleFactory(draft=True), ArticleFactory(scheduled=True), ArticleFactory()
    client.force_login(editor)

    for story, expected in [
        (draft, reverse("articles:preview", args=[draft.pk])),
        (scheduled, reverse("articles:preview", args=[scheduled.pk])),
        (live, live.get_absolute_url()),
    ]:
        html = client.get(change_url(story)).content.decode()
        assert f'href="{expected}" class="viewsitelink"' in html
