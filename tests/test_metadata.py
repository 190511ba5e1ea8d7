"""What machines read on each page: title, description, canonical, feeds, Open Graph,
Twitter cards and the JSON-LD NewsArticle (parsed, then checked value by value)."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from articles.models import Byline, Contributor, Correction
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CorrectionFactory, PhotoFactory
from tests.test_public_pages import page_of

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    (payload,) = JSON_LD.findall(response.content.decode())
    return json.loads(payload)


@pytest.fixture
def story():
    story = ArticleFactory(
        headline="Harbour bridge reopens after repairs",
        dek="Traffic returns to the span after eight months.",
        lead_photo=PhotoFactory(alt_text="Cars cross a steel bridge.", credit="Jane Doe / Continental Press"),
        tags=["Bridges", "Transport"],
    )
    BylineFactory(article=story, contributor=ContributorFactory(name="Amara Okafor"), position=0)
    BylineFactory(
        article=story,
        contributor=ContributorFactory(name="Continental Press", kind=Contributor.Kind.ORGANISATION),
        position=1,
    )
    BylineFactory(
        article=story, contributor=ContributorFactory(name="Tomás Reyes"), role=Byline.Role.PHOTOGRAPHS
    )
    return story


def absolute(path):
    return f"http://testserver{path}"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/section/national/",
        "/people/amara-okafor/",
        "/tag/bridges/",
        "/search/?q=bridge",
        "/corrections/",
    ],
)
def test_every_page_has_title_description_canonical_and_feed_links(client, story, url):
    page = page_of(client.get(url))
    assert page.find("title")[1].endswith("The Newsroom") or page.find("title")[1].startswith("The Newsroom")
    assert page.meta("description")
    (canonical,) = page.find_all("link", rel="canonical")
    assert canonical[0]["href"].startswith("http://testserver/")
    feeds = {attrs["href"] for attrs, _ in page.find_all("link", rel="alternate")}
    assert {"/feeds/latest/", "/feeds/atom/latest/"} <= feeds


def test_article_title_description_and_canonical(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    assert page.find("title")[1] == f"{story.headline} | The Newsroom"
    assert page.meta("description") == story.dek
    assert page.find("link", rel="canonical")[0]["href"] == absolute(story.get_absolute_url())


def test_seo_fields_and_canonical_url_override_the_defaults(client, story):
    story.seo_title = "Bridge reopens"
    story.seo_description = "The harbour bridge is open again."
    story.canonical_url = "https://agency.example/bridge"
    story.save()
    page = page_of(client.get(story.get_absolute_url()))
    assert page.find("title")[1] == "Bridge reopens | The Newsroom"
    assert page.meta("description") == "The harbour bridge is open again."
    assert page.find("link", rel="canonical")[0]["href"] == "https://agency.example/bridge"
    assert page.meta("og:url") == "https://agency.example/bridge"
    assert json_ld(client.get(story.get_absolute_url()))["mainEntityOfPage"]["@id"] == story.canonical_url


def test_paginated_list_pages_have_their_own_canonical(client, story, monkeypatch):
    from articles.public import views

    monkeypatch.setattr(views.SectionView, "paginate_by", 1)
    ArticleFactory()
    page = page_of(client.get("/section/national/?page=2"))
    assert page.find("link", rel="canonical")[0]["href"] == "http://testserver/section/national/?page=2"


def test_open_graph_tags(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    rendition = story.lead_photo.renditions.filter(format="jpeg", square=False).order_by("-width").first()
    assert page.meta("og:type") == "article"
    assert page.meta("og:title") == story.headline
    assert page.meta("og:description") == story.dek
    assert page.meta("og:url") == absolute(story.get_absolute_url())
    assert page.meta("og:image") == absolute(rendition.file.url)
    assert (page.meta("og:image:width"), page.meta("og:image:height")) == (
        str(rendition.width),
        str(rendition.height),
    )
    assert page.meta("og:image:alt") == "Cars cross a steel bridge."
    published = datetime.datetime.fromisoformat(page.meta("article:published_time"))
    assert published == story.publish_at
    assert page.meta("article:section") == "National"
    authors = [attrs["content"] for attrs, _ in page.find_all("meta", property="article:author")]
    assert authors == [absolute("/people/amara-okafor/"), absolute("/people/continental-press/")]


def test_modified_time_follows_significant_updates_and_corrections(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    assert page.meta("article:modified_time") == page.meta("article:published_time")
    note = CorrectionFactory(article=story, created_at=timezone.now())
    page = page_of(client.get(story.get_absolute_url()))
    assert datetime.datetime.fromisoformat(page.meta("article:modified_time")) == note.created_at


def test_twitter_card(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    assert page.meta("twitter:card") == "summary_large_image"
    assert page.meta("twitter:title") == story.headline
    assert page.meta("twitter:image") == page.meta("og:image")


def test_json_ld_news_article(client, story):
    data = json_ld(client.get(story.get_absolute_url()))
    url = absolute(story.get_absolute_url())
    rendition = story.lead_photo.renditions.filter(format="jpeg", square=False).order_by("-width").first()
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == story.headline
    assert data["description"] == story.dek
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    (image,) = data["image"]
    assert image["url"] == absolute(rendition.file.url)
    assert (image["width"], image["height"]) == (rendition.width, rendition.height)
    assert datetime.datetime.fromisoformat(data["datePublished"]) == story.publish_at
    assert datetime.datetime.fromisoformat(data["dateModified"]) == story.publish_at
    assert data["author"] == [
        {"@type": "Person", "name": "Amara Okafor", "url": absolute("/people/amara-okafor/")},
        {"@type": "Organization", "name": "Continental Press", "url": absolute("/people/continental-press/")},
    ]
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "The Newsroom"
    logo = data["publisher"]["logo"]
    assert logo["url"] == absolute("/static/articles/img/logo.png") and logo["width"] == 600
    assert data["articleSection"] == "National"
    assert sorted(data["keywords"]) == ["Bridges", "Transport"]
    assert "correction" not in data


def test_json_ld_lists_corrections(client, story):
    note = CorrectionFactory(article=story, kind=Correction.Kind.CORRECTION, text="The span is 40 m long.")
    (correction,) = json_ld(client.get(story.get_absolute_url()))["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "Correction: The span is 40 m long."
    assert datetime.datetime.fromisoformat(correction["datePublished"]) == note.created_at


def test_json_ld_cannot_be_broken_out_of(client, story):
    story.headline = 'Quote </script><script>alert("x")</script> & more'
    story.save()
    response = client.get(story.get_absolute_url())
    assert b"<script>alert" not in response.content
    assert json_ld(response)["headline"] == story.headline


def test_unsigned_story_is_credited_to_the_publisher(client):
    story = ArticleFactory()
    assert json_ld(client.get(story.get_absolute_url()))["author"][0]["name"] == "The Newsroom"


def test_story_without_a_public_photo_has_no_image_metadata(client, story):
    story.lead_photo.rights_expire_on = datetime.date(2020, 1, 1)
    story.lead_photo.save()
    response = client.get(story.get_absolute_url())
    page = page_of(response)
    assert page.meta("og:image") is None and page.meta("twitter:card") == "summary"
    assert "image" not in json_ld(response)
