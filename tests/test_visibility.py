"""Unpublished means invisible: one walk over every public surface for each hidden state.

A draft, an in-review, a scheduled, a withdrawn and an embargoed story share a section, a tag and a
contributor with a live story, and carry a correction, so each would show up on every
list, feed, sitemap and related-story rail if a query forgot `published()`.
"""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, FrontPage, Placement
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CorrectionFactory, PhotoFactory

pytestmark = pytest.mark.django_db

HIDDEN_STATES = {
    "draft": {"draft": True},
    "review": {"in_review": True},
    "scheduled": {"scheduled": True},
    "withdrawn": {"withdrawn": True, "publish_at": timezone.now() - datetime.timedelta(hours=3)},
    "embargoed": {"embargo_until": timezone.now() + datetime.timedelta(days=1)},
}


def public_surfaces(live, contributor):
    """Every public URL that lists, links or describes stories."""
    section, person = live.section.slug, contributor.slug
    return [
        "/",
        f"/section/{section}/",
        "/tag/transit/",
        f"/people/{person}/",
        "/search/?q=zanzibarite",
        "/corrections/",
        live.get_absolute_url(),  # its related stories, Open Graph and JSON-LD
        "/feeds/latest/",
        f"/feeds/section/{section}/",
        f"/feeds/people/{person}/",
        "/feeds/atom/latest/",
        f"/feeds/atom/section/{section}/",
        f"/feeds/atom/people/{person}/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-contributors.xml",
        "/sitemap-news.xml",
        *api_surfaces(live, contributor),
    ]


def api_surfaces(live, contributor):
    """Every read API answer that lists or describes stories, people or tags."""
    section, person = live.section.slug, contributor.slug
    return [
        "/api/v1/stories",
        f"/api/v1/stories?section={section}",
        "/api/v1/stories?tag=transit",
        f"/api/v1/stories?contributor={person}",
        "/api/v1/stories?updated_since=2000-01-01T00:00:00Z",
        f"/api/v1/stories/{live.pk}",
        f"/api/v1/stories/by-path?path={live.get_absolute_url()}",
        "/api/v1/corrections",
        "/api/v1/contributors",
        "/api/v1/tags",
        "/api/v1/sections",
    ]


# Lists of things other than stories: they need not name the live story.
NOT_STORY_LISTS = {
    "/sitemap.xml",
    "/sitemap-contributors.xml",
    "/api/v1/contributors",
    "/api/v1/tags",
    "/api/v1/sections",
}


@pytest.fixture
def live():
    return ArticleFactory(headline="Zanzibarite council story that is live", tags=["Transit"])


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_hidden_story_appears_on_no_public_surface(client, live, state):
    contributor = ContributorFactory(name="Shared Reporter")
    BylineFactory(article=live, contributor=contributor)
    CorrectionFactory(article=live)
    hidden = ArticleFactory(
        headline="Zanzibarite secret scoop headline",
        slug=f"secret-scoop-{state}",
        dek="A secret dek nobody may read yet.",
        section=live.section,
        tags=["Transit", "Secret tag"],
        **HIDDEN_STATES[state],
    )
    BylineFactory(article=hidden, contributor=contributor)
    BylineFactory(article=hidden, contributor=ContributorFactory(name="Only On The Scoop"))
    CorrectionFactory(article=hidden, text="A secret correction.")

    secrets = [
        hidden.headline,
        hidden.dek,
        "A secret correction.",
        hidden.slug,
        "Only On The Scoop",
        "Secret tag",
    ]
    for url in public_surfaces(live, contributor):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not [secret for secret in secrets if secret in body], url
        assert live.slug in body or url in NOT_STORY_LISTS, url

    own_url = hidden.get_absolute_url()
    assert client.get(own_url).status_code == (410 if state == "withdrawn" else 404)
    for api_url in [f"/api/v1/stories/{hidden.pk}", f"/api/v1/stories/by-path?path={own_url}"]:
        response = client.get(api_url)
        assert response.status_code == (410 if state == "withdrawn" else 404), api_url
        assert not [secret for secret in secrets if secret in response.content.decode()], api_url
    assert client.get("/tag/secret-tag/").status_code == 404
    assert client.get("/search/?q=secret").content.count(b"card-headline") == 0


def test_scheduled_story_appears_everywhere_at_its_time_by_query_alone(client, time_machine, live):
    time_machine.move_to(timezone.now(), tick=False)
    scheduled = ArticleFactory(
        headline="Zanzibarite budget announced at noon",
        section=live.section,
        publish_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert scheduled.headline.encode() not in client.get("/feeds/latest/").content
    time_machine.shift(datetime.timedelta(minutes=30))
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    for url in ["/", f"/section/{live.section.slug}/", "/feeds/latest/", "/sitemap-news.xml"]:
        assert scheduled.slug.encode() in client.get(url).content, url


def test_story_sent_back_to_draft_leaves_every_surface(client, live):
    live.status = Article.Status.DRAFT
    live.save()
    for url in ["/", "/feeds/latest/", "/sitemap-articles.xml", "/search/?q=zanzibarite", "/tag/transit/"]:
        response = client.get(url)
        assert live.slug.encode() not in response.content, url


def test_photo_whose_rights_expired_is_shown_nowhere(client, live):
    photo = PhotoFactory(rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    live.lead_photo = photo
    live.save()
    contributor = ContributorFactory(headshot=PhotoFactory(rights_expire_on=datetime.date(2020, 1, 1)))
    BylineFactory(article=live, contributor=contributor)
    headshot_sha = contributor.headshot.sha256
    other = ArticleFactory(section=live.section, tags=["Transit"])  # shows `live` as related
    urls = public_surfaces(live, contributor) + [other.get_absolute_url()]
    for url in urls:
        body = client.get(url).content.decode()
        assert photo.sha256 not in body and photo.image.name not in body, url
        assert headshot_sha not in body, url
    page = client.get(live.get_absolute_url()).content.decode()
    assert 'class="lead-photo"' not in page and 'property="og:image"' not in page
    assert '"image"' not in page  # nor in the JSON-LD


# What each hidden state changes on a story that was live when editors placed it.
BECOMES_HIDDEN = {
    "draft": {"status": Article.Status.DRAFT},
    "review": {"status": Article.Status.REVIEW},
    "scheduled": {"publish_at": timezone.now() + datetime.timedelta(days=1)},
    "withdrawn": {"status": Article.Status.WITHDRAWN},
    "embargoed": {"embargo_until": timezone.now() + datetime.timedelta(days=1)},
}


@pytest.mark.parametrize("state", BECOMES_HIDDEN)
def test_story_placed_on_the_front_page_then_hidden_appears_nowhere(client, live, state):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    layout = FrontPage.objects.create(name="Big day", status="scheduled", go_live_at=an_hour_ago)
    placed = []
    for zone in Placement.Zone.values:
        story = ArticleFactory(headline=f"Zanzibarite placed scoop in {zone}", section=live.section)
        section = story.section if zone == Placement.Zone.SECTION else None
        Placement.objects.create(front_page=layout, zone=zone, section=section, article=story)
        placed.append(story)
    assert all(story.headline in client.get("/").content.decode() for story in placed)

    Article.objects.filter(pk__in=[story.pk for story in placed]).update(**BECOMES_HIDDEN[state])
    contributor = ContributorFactory(name="Shared Reporter")
    for url in public_surfaces(live, contributor):
        body = client.get(url).content.decode()
        assert not [story.slug for story in placed if story.slug in body], url
    assert live.slug in client.get("/").content.decode()
