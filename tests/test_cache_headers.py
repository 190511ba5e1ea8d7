"""What the cache in front is told: each public page's surrogate keys, and what it must never keep."""

import pytest
from django.urls import reverse

from articles.models import Photo
from articles.stories import preview
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """Two live stories in one section sharing a tag and a contributor, plus a draft."""
    national = SectionFactory(name="National", slug="national")
    jane = ContributorFactory(name="Jane Doe", headshot=PhotoFactory())
    lead = ArticleFactory(headline="Council approves transit plan", section=national, tags=["Transit"])
    lead.lead_photo = PhotoFactory()
    lead.save()
    other = ArticleFactory(headline="Bus lanes open on Monday", section=national, tags=["Transit"])
    draft = ArticleFactory(headline="Secret draft", section=national, draft=True)
    for story in (lead, other, draft):
        BylineFactory(article=story, contributor=jane)
    CorrectionFactory(article=lead)
    return {"section": national, "jane": jane, "lead": lead, "other": other, "draft": draft}


def keys_of(response):
    return set(response["xkey"].split())


def story(article):
    return {f"article-{article.pk}", f"section-{article.section_id}"}


def test_home_page_names_every_story_on_it(client, newsroom):
    response = client.get("/")
    lead, other, jane = newsroom["lead"], newsroom["other"], newsroom["jane"]
    expected = {"home", *story(lead), *story(other), f"contributor-{jane.pk}", f"photo-{lead.lead_photo_id}"}
    assert keys_of(response) == expected
    assert f"article-{newsroom['draft'].pk}" not in keys_of(response)


def test_article_page_names_the_story_its_tags_people_photo_and_related_stories(client, newsroom):
    lead, other, jane = newsroom["lead"], newsroom["other"], newsroom["jane"]
    tag = lead.tags.get()
    response = client.get(lead.get_absolute_url())
    assert keys_of(response) == {
        *story(lead),
        *story(other),  # related story card
        f"tag-{tag.pk}",
        f"contributor-{jane.pk}",
        f"photo-{lead.lead_photo_id}",
    }


def test_section_page_names_the_section_and_its_stories(client, newsroom):
    response = client.get(newsroom["section"].get_absolute_url())
    keys = keys_of(response)
    assert {f"section-{newsroom['section'].pk}", f"article-{newsroom['lead'].pk}"} <= keys
    assert f"article-{newsroom['other'].pk}" in keys


def test_tag_page_names_the_tag_and_its_stories(client, newsroom):
    tag = newsroom["lead"].tags.get()
    keys = keys_of(client.get(reverse("articles:tag", args=[tag.slug])))
    assert {f"tag-{tag.pk}", f"article-{newsroom['lead'].pk}", f"article-{newsroom['other'].pk}"} <= keys


def test_contributor_page_names_the_person_their_headshot_and_stories(client, newsroom):
    jane = newsroom["jane"]
    keys = keys_of(client.get(jane.get_absolute_url()))
    assert {f"contributor-{jane.pk}", f"photo-{jane.headshot_id}", f"article-{newsroom['lead'].pk}"} <= keys
    assert f"article-{newsroom['draft'].pk}" not in keys


def test_search_page_is_keyed_search(client, newsroom):
    assert "search" in keys_of(client.get("/search/?q=transit"))
    assert keys_of(client.get("/search/")) == {"search"}


def test_corrections_page_names_the_corrected_stories(client, newsroom):
    keys = keys_of(client.get(reverse("articles:corrections")))
    assert keys == {"corrections", f"article-{newsroom['lead'].pk}"}


@pytest.mark.parametrize(
    "url_name, kwargs_of",
    [
        ("articles:feed", lambda n: {}),
        ("articles:atom_feed", lambda n: {}),
        ("articles:section_feed", lambda n: {"slug": n["section"].slug}),
        ("articles:contributor_feed", lambda n: {"slug": n["jane"].slug}),
    ],
)
def test_feeds_are_keyed_feeds_and_name_every_item(client, newsroom, url_name, kwargs_of):
    keys = keys_of(client.get(reverse(url_name, kwargs=kwargs_of(newsroom))))
    tag = newsroom["lead"].tags.get()
    assert {
        "feeds",
        f"article-{newsroom['lead'].pk}",
        f"article-{newsroom['other'].pk}",
        f"tag-{tag.pk}",
    } <= keys
    if url_name == "articles:section_feed":
        assert f"section-{newsroom['section'].pk}" in keys
    if url_name == "articles:contributor_feed":
        assert f"contributor-{newsroom['jane'].pk}" in keys


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml", "/robots.txt"])
def test_sitemaps_and_robots_are_keyed_sitemaps(client, newsroom, url):
    response = client.get(url)
    assert response.status_code == 200
    assert keys_of(response) == {"sitemaps"}


def test_withdrawn_story_answer_is_keyed_by_the_story(client, newsroom):
    lead = newsroom["lead"]
    url = lead.get_absolute_url()
    lead.status = lead.Status.WITHDRAWN
    lead.save()
    response = client.get(url)
    assert response.status_code == 410
    assert keys_of(response) == {f"article-{lead.pk}"}


def test_redirect_from_a_former_address_is_keyed_by_the_story(client, newsroom):
    lead = newsroom["lead"]
    old = lead.get_absolute_url()
    lead.slug = "council-approves-the-plan"
    lead.save()
    response = client.get(old)
    assert response.status_code == 301
    assert keys_of(response) == {f"article-{lead.pk}"}


# --- what a shared cache must never keep ----------------------------------------------------

PUBLIC_URLS = [
    "/",
    "/section/national/",
    "/search/?q=transit",
    "/corrections/",
    "/feeds/latest/",
    "/sitemap.xml",
    "/robots.txt",
]


def public_urls(newsroom):
    return [*PUBLIC_URLS, newsroom["lead"].get_absolute_url(), newsroom["jane"].get_absolute_url()]


def test_public_pages_are_shareable_and_carry_no_cookie_or_csrf_token(client, newsroom):
    for url in public_urls(newsroom):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"], url
        assert not response.cookies, (url, response.cookies)
        assert "Set-Cookie" not in response.headers, url
        body = response.content.decode()
        assert "csrfmiddlewaretoken" not in body and "csrftoken" not in body, url


def test_public_pages_stay_cookie_free_for_a_reader_who_has_a_csrf_cookie(client, newsroom):
    client.get(reverse("login"))  # the login form sets csrftoken
    assert "csrftoken" in client.cookies
    for url in public_urls(newsroom):
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url


def assert_private(response, what):
    cache_control = response.get("Cache-Control", "")
    assert "private" in cache_control and "no-store" in cache_control, (what, cache_control)
    assert "public" not in cache_control, what


def test_every_page_a_logged_in_editor_sees_is_private(client, newsroom, editor):
    for url in public_urls(newsroom):
        assert_private(client.get(url), url)


def test_admin_and_photo_desk_pages_are_private(client, newsroom, editor):
    photo = Photo.objects.first()
    urls = [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[newsroom["lead"].pk]),
        reverse("photos:library"),
        reverse("photos:upload"),
        reverse("photos:detail", args=[photo.pk]),
        reverse("photos:original", args=[photo.pk]),
        reverse("articles:preview", args=[newsroom["draft"].pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_private(response, url)


def test_share_link_and_login_pages_are_private_for_anyone(client, newsroom):
    share = preview.share_url(newsroom["draft"])
    for url in [share, reverse("login"), reverse("admin:login"), reverse("photos:library")]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_private(response, url)
    assert "Secret draft" in client.get(share).content.decode()


def test_staff_redirects_and_errors_are_private_too(client, newsroom):
    response = client.get(reverse("articles:preview", args=[newsroom["draft"].pk]))
    assert response.status_code == 302
    assert_private(response, "preview redirect to login")
