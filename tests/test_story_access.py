"""Who may open, preview, share and revert a story: every role × state × relation to the story.

The share link lets anyone on the internet read a story, so it is offered only to those who
may preview the story themselves. Being able to open a story in the admin is not enough:
reporters and photo staff can view every story there.
"""

import itertools

import pytest
import reversion
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["Editor", "Reporter", "Photo editor", "superuser"]
STATES = {
    "draft": {"draft": True},
    "review": {"in_review": True},
    "scheduled": {"scheduled": True},
    "published": {},
    "withdrawn": {"withdrawn": True},
}
RELATIONS = ["own", "bylined", "other's"]

# The rules, written out once: which stories each role may preview and share, and in which
# states it may revert a story to an older revision.
SEES_EVERY_STORY = {"Editor", "superuser"}
REPORTER_EDITS = {"draft", "review"}


def expected(role, state, relation):
    mine = relation in ("own", "bylined")
    may_preview = role in SEES_EVERY_STORY or mine
    return {
        "preview": may_preview,
        # Photo staff bylined on a story preview it but do not send it out; a withdrawn story's
        # share links are dead, and offering one would mislead.
        "share": may_preview and role != "Photo editor" and state != "withdrawn",
        "revert": role in SEES_EVERY_STORY or (role == "Reporter" and mine and state in REPORTER_EDITS),
    }


def make_user(role):
    if role == "superuser":
        user = UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = UserFactory(username=role.lower().replace(" ", "-"), is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    ContributorFactory(name=f"{role} person", user=user)
    return user


def make_story(state, relation, user):
    author = user if relation == "own" else UserFactory(username="someone-else", is_staff=True)
    story = ArticleFactory(headline=f"Secret {state} story", created_by=author, **STATES[state])
    if relation == "bylined":
        BylineFactory(article=story, contributor=user.contributor)
    for headline in (f"Secret {state} story, first take", story.headline):
        story.headline = headline
        with reversion.create_revision():
            story.save()
    return story


@pytest.mark.parametrize(("role", "state", "relation"), list(itertools.product(ROLES, STATES, RELATIONS)))
def test_story_access_follows_the_rules(client, role, state, relation):
    user = make_user(role)
    story = make_story(state, relation, user)
    rules = expected(role, state, relation)
    client.force_login(user)

    change_form = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert change_form.status_code == 200
    share_url = change_form.context.get("share_url")
    assert bool(share_url) is rules["share"]
    assert ("/preview/shared/" in change_form.content.decode()) is rules["share"]
    preview_url = reverse("articles:preview", args=[story.pk])
    assert (preview_url in change_form.content.decode()) is rules["preview"]

    staff_preview = client.get(preview_url)
    assert staff_preview.status_code == (200 if rules["preview"] else 404)
    assert (story.headline in staff_preview.content.decode()) is rules["preview"]

    if share_url:
        shared = Client().get(share_url)
        assert shared.status_code == 200 and story.headline in shared.content.decode()

    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert history.status_code == 200 and "/preview/shared/" not in history.content.decode()
    older, newer = Version.objects.get_for_object(story).order_by("pk")
    compare = client.get(
        reverse("admin:articles_article_compare", args=[story.pk]), {"from": older.pk, "to": newer.pk}
    )
    assert compare.status_code == 200 and "/preview/shared/" not in compare.content.decode()
    revert = client.get(reverse("admin:articles_article_revision", args=[story.pk, older.pk]))
    assert revert.status_code == (200 if rules["revert"] else 403)
    if not rules["share"]:
        assert "/preview/shared/" not in revert.content.decode()


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "published"])
def test_share_link_from_the_form_stops_working_when_the_story_is_withdrawn(client, state):
    editor = make_user("Editor")
    story = make_story(state, "other's", editor)
    client.force_login(editor)
    share_url = client.get(reverse("admin:articles_article_change", args=[story.pk])).context["share_url"]
    assert Client().get(share_url).status_code == 200
    story.status = "withdrawn"
    story.save()
    assert Client().get(share_url).status_code == 404


def test_reporter_who_shares_a_draft_may_revoke_its_links(client):
    reporter = make_user("Reporter")
    story = make_story("draft", "own", reporter)
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert 'name="revoke_share_links"' in html
    others = make_story("draft", "other's", reporter)
    html = client.get(reverse("admin:articles_article_change", args=[others.pk])).content.decode()
    assert "Revoke share links" not in html
