import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Byline, Contributor, Correction, Photo, Section

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def test_demo_newsroom_has_what_the_issue_asks_for(demo):
    assert Section.objects.count() >= 5
    assert Contributor.objects.count() >= 6
    assert Contributor.objects.filter(kind=Contributor.Kind.ORGANISATION).exists()
    assert Article.objects.count() >= 24
    assert Article.objects.filter(status="draft").count() == 2
    assert Article.objects.scheduled().count() == 1
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


def test_load_demo_is_idempotent(demo):
    counts = (Article.objects.count(), Photo.objects.count(), Byline.objects.count())
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert (Article.objects.count(), Photo.objects.count(), Byline.objects.count()) == counts


@pytest.mark.parametrize("username", ["editor", "reporter", "photo"])
def test_each_demo_user_can_log_in_to_the_admin(demo, client, username):
    assert client.login(username=username, password="newsroom-demo")
    assert client.get("/admin/").status_code == 200


def test_load_demo_refuses_demo_logins_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", verbosity=0)
    assert not Article.objects.exists()


def test_load_demo_content_only_works_without_debug(settings):
    settings.DEBUG = False
    call_command("load_demo", "--no-users", stdout=io.StringIO())
    assert Article.objects.count() >= 24
