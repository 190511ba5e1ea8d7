import datetime
from urllib.parse import unquote

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import resolve
from django.utils import timezone

from articles.models import Article, Byline, FormerURL
from tests.admin_forms import article_form_data
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_published_includes_live_stories_only():
    live = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(in_review=True)
    ArticleFactory(scheduled=True)
    ArticleFactory(withdrawn=True)
    assert list(Article.objects.published()) == [live]


def test_published_excludes_future_articles_until_their_time(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC), tick=False)
    story = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(minutes=5))
    assert story.is_scheduled and story.status_label == "Scheduled"
    assert not Article.objects.published().exists()
    time_machine.shift(datetime.timedelta(minutes=5))
    assert list(Article.objects.published()) == [story]


def test_publishing_without_a_time_publishes_now():
    story = ArticleFactory(draft=True)
    story.status = Article.Status.PUBLISHED
    story.save()
    assert story.publish_at is not None
    assert story.first_published_at == story.publish_at


def test_first_published_at_is_set_once():
    story = ArticleFactory()
    first = story.first_published_at
    story.publish_at = timezone.now() - datetime.timedelta(minutes=1)
    story.save()
    assert story.first_published_at == first


def test_database_refuses_published_story_without_publish_time():
    story = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=story.pk).update(publish_at=None)


def test_same_headline_same_day_gets_distinct_slugs():
    first = ArticleFactory(headline="Storm closes schools", slug="")
    second = ArticleFactory(headline="Storm closes schools", slug="")
    third = ArticleFactory(headline="Storm closes schools", slug="")
    assert [first.slug, second.slug, third.slug] == [
        "storm-closes-schools",
        "storm-closes-schools-2",
        "storm-closes-schools-3",
    ]


@pytest.mark.parametrize(
    "headline, expected",
    [("Москва закрывает метро", "москва-закрывает-метро"), ("北京大雪", "北京大雪")],
)
def test_non_latin_headline_gets_a_slug_and_a_working_url(client, headline, expected):
    story = ArticleFactory(headline=headline, slug="")
    assert story.slug == expected
    url = story.get_absolute_url()
    assert resolve(unquote(url)).url_name == "detail"
    assert client.get(url).status_code == 200


def test_headline_without_letters_still_gets_a_slug():
    assert ArticleFactory(headline="!!! ???", slug="").slug == "story"


def test_slug_is_unique_in_the_database():
    ArticleFactory(slug="budget")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="Other", slug="budget", section_id=Article.objects.get().section_id)


def test_contributor_once_per_role_per_article():
    byline = BylineFactory()
    BylineFactory(article=byline.article, contributor=byline.contributor, role=Byline.Role.EDITED)
    with pytest.raises(IntegrityError), transaction.atomic():
        BylineFactory(article=byline.article, contributor=byline.contributor, role=Byline.Role.BY)


def test_byline_groups_keep_order_and_roles():
    story = ArticleFactory()
    a, b, c = (
        ContributorFactory(name="Ann Lee"),
        ContributorFactory(name="Bo Chen"),
        ContributorFactory(name="Cy Ortiz"),
    )
    BylineFactory(article=story, contributor=b, position=1)
    BylineFactory(article=story, contributor=a, position=0)
    BylineFactory(article=story, contributor=c, position=2, role=Byline.Role.PHOTOGRAPHS)
    assert story.byline_groups() == [("By", [a, b]), ("Photographs by", [c])]


def test_lead_photo_in_use_cannot_be_deleted():
    story = ArticleFactory(with_photo=True)
    with pytest.raises(ProtectedError):
        story.lead_photo.delete()


def test_contributor_with_bylines_cannot_be_deleted():
    byline = BylineFactory()
    with pytest.raises(ProtectedError):
        byline.contributor.delete()


def test_changing_a_live_storys_slug_keeps_the_old_url_as_a_redirect(client):
    story = ArticleFactory(slug="old-slug")
    old_url = story.get_absolute_url()
    story.slug = "new-slug"
    story.save()
    assert FormerURL.objects.filter(path=old_url, article=story).exists()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_renaming_an_unpublished_story_leaves_no_redirect():
    story = ArticleFactory(draft=True, slug="draft-slug")
    story.slug = "other"
    story.save()
    assert not FormerURL.objects.exists()


def test_rights_expired_photo_is_not_the_public_lead():
    story = ArticleFactory(
        lead_photo=PhotoFactory(rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    )
    assert story.lead_photo is not None
    assert story.public_lead_photo is None


def test_str_and_urls():
    story = ArticleFactory(
        headline="Port reopens",
        slug="port-reopens",
        publish_at=datetime.datetime(2026, 5, 4, 23, 30, tzinfo=datetime.UTC),
    )
    assert str(story) == "Port reopens"
    assert story.get_absolute_url() == "/2026/05/04/port-reopens/"
    assert story.section.get_absolute_url() == f"/section/{story.section.slug}/"


def test_article_url_uses_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    story = ArticleFactory(slug="late", publish_at=datetime.datetime(2026, 5, 5, 2, 0, tzinfo=datetime.UTC))
    assert story.get_absolute_url() == "/2026/05/04/late/"


def test_deleting_a_photo_removes_its_files(settings, django_capture_on_commit_callbacks):
    from pathlib import Path

    photo = PhotoFactory()
    files = [
        Path(settings.MEDIA_ROOT) / photo.image.name,
        Path(settings.PHOTO_ORIGINALS_ROOT) / photo.original.name,
    ]
    files += [Path(settings.MEDIA_ROOT) / r.file.name for r in photo.renditions.all()]
    assert len(files) > 2 and all(f.exists() for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not any(f.exists() for f in files)


def test_a_draft_taking_a_freed_address_keeps_the_live_storys_redirect(client):
    day = datetime.datetime(2026, 5, 4, 12, 0, tzinfo=datetime.UTC)
    story = ArticleFactory(slug="harbor", publish_at=day)
    old_url = story.get_absolute_url()
    story.slug = "harbor-reopens"
    story.save()
    draft = ArticleFactory(draft=True, slug="harbor")
    Article.objects.filter(pk=draft.pk).update(created_at=day)
    draft.refresh_from_db()
    draft.save()
    assert client.get(old_url).status_code == 301


def test_contributor_known_only_from_drafts_has_no_public_page(client):
    hidden = BylineFactory(article=ArticleFactory(draft=True)).contributor
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/feeds/people/{hidden.slug}/").status_code == 404
    sitemap = client.get("/sitemap-contributors.xml")
    assert sitemap.status_code == 200
    assert hidden.get_absolute_url() not in sitemap.content.decode()


def test_every_constraint_has_a_sentence_for_people_not_its_name():
    from django.apps import apps

    for model in apps.get_app_config("articles").get_models():
        for constraint in model._meta.constraints:
            message = constraint.get_violation_error_message()
            assert constraint.name not in message, f"{model.__name__}.{constraint.name}"
            assert message.endswith("."), message


def test_a_taken_slug_is_refused_with_a_sentence(admin_client):
    ArticleFactory(slug="bridge-reopens")
    story = ArticleFactory(draft=True)

    data = article_form_data(story, slug="bridge-reopens")
    response = admin_client.post(f"/admin/articles/article/{story.pk}/change/", data)

    assert response.context["adminform"].form.errors["slug"] == [
        "Another story already uses this slug. "
        "Change it, or leave it blank to make a new one from the headline."
    ]
