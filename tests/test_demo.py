import io

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article, Byline, Contributor, Correction, Photo, Section

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def test_demo_newsroom_has_what_the_issue_asks_for(demo, client):
    assert Section.objects.count() >= 5
    assert Contributor.objects.count() >= 6
    assert Contributor.objects.filter(kind=Contributor.Kind.ORGANISATION).exists()
    assert Article.objects.count() >= 24
    assert Article.objects.filter(status="draft").count() == 2
    embargoed = Article.objects.get(embargo_until__gt=timezone.now())
    assert embargoed.is_scheduled and not Article.objects.published().filter(pk=embargoed.pk).exists()
    assert Article.objects.scheduled().exclude(pk=embargoed.pk).count() == 1
    assert Correction.objects.exists()
    assert not Article.objects.filter(lead_photo=None).exists()
    assert not Article.objects.filter(dateline="").count() > 2
    multi = [a for a in Article.objects.with_bylines() if len(a.bylines.all()) >= 2]
    assert len(multi) >= 3
    assert all(a.tags.exists() for a in Article.objects.all()[:5])
    photo = Photo.objects.exclude(credit="").first()
    assert photo.caption and photo.alt_text and photo.renditions.exists()
    assert Byline.objects.filter(contributor__kind="organisation").exists()
    assert any("“" in a.body or '"' in a.body for a in Article.objects.all())
    # One login per role (a full load takes seconds, so this test checks both).
    for username in ("editor", "reporter", "photo"):
        assert client.login(request=HttpRequest(), username=username, password="newsroom-demo"), username
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_load_demo_refuses_demo_logins_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", verbosity=0)
    assert not Article.objects.exists()


def test_load_demo_content_only_without_debug_is_idempotent(settings, django_user_model):
    settings.DEBUG = False
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    counts = (Article.objects.count(), Photo.objects.count(), Byline.objects.count())
    assert counts[0] >= 24
    assert not django_user_model.objects.exists()
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    assert (Article.objects.count(), Photo.objects.count(), Byline.objects.count()) == counts
