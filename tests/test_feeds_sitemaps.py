"""RSS and Atom feeds (read back with feedparser) and the sitemaps (read back as XML)."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.contrib.sitemaps.views import SitemapIndexItem
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Byline, Correction
from articles.public import sitemaps
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def story():
    story = ArticleFactory(
        headline="Harbour bridge reopens after repairs",
        dek="Traffic returns to the span after eight months.",
        lead_photo=PhotoFactory(credit="Jane Doe / Continental Press"),
        tags=["Bridges"],
    )
    BylineFactory(article=story, contributor=ContributorFactory(name="Amara Okafor"), position=0)
    BylineFactory(article=story, contributor=ContributorFactory(name="Ben Cole"), position=1)
    BylineFactory(
        article=story, contributor=ContributorFactory(name="Tomás Reyes"), role=Byline.Role.PHOTOGRAPHS
    )
    return story


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return feedparser.parse(response.content)


@pytest.mark.parametrize(("url", "version"), [("/feeds/latest/", "rss20"), ("/feeds/atom/latest/", "atom10")])
def test_feed_item_has_title_link_guid_date_description_authors_and_photo(client, story, url, version):
    feed = parse_feed(client, url)
    assert feed.version == version and not feed.bozo
    (entry,) = feed.entries
    assert entry.title == story.headline
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.id == f"tag:testserver,{story.first_published_at:%Y-%m-%d}:article:{story.pk}"
    assert entry.published_parsed[:6] == story.publish_at.utctimetuple()[:6]
    assert story.dek in entry.summary
    assert entry.author == "Amara Okafor and Ben Cole"
    (media,) = entry.media_content
    rendition = story.lead_photo.renditions.get(format="jpeg", square=False, width=media["width"])
    assert media["url"] == f"http://testserver{rendition.file.url}"
    assert (int(media["width"]), int(media["height"])) == (rendition.width, rendition.height)
    assert {tag.term for tag in entry.tags} == {"National", "Bridges"}


def test_feed_item_keeps_its_guid_when_the_slug_changes(client, story):
    before = parse_feed(client, "/feeds/latest/").entries[0].id
    story.slug = "bridge-reopens"
    story.save()
    assert parse_feed(client, "/feeds/latest/").entries[0].id == before


def test_feed_item_description_appends_corrections(client, story):
    CorrectionFactory(article=story, kind=Correction.Kind.CORRECTION, text="The bridge is 40 metres long.")
    summary = parse_feed(client, "/feeds/latest/").entries[0].summary
    assert story.dek in summary and "Correction" in summary and "The bridge is 40 metres long." in summary


def test_feed_item_without_a_public_photo_has_no_media(client, story):
    story.lead_photo.rights_expire_on = datetime.date(2020, 1, 1)
    story.lead_photo.save()
    assert "media_content" not in parse_feed(client, "/feeds/latest/").entries[0]


def test_feeds_list_newest_first(client, story):
    older = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=3))
    assert [entry.title for entry in parse_feed(client, "/feeds/latest/").entries] == [
        story.headline,
        older.headline,
    ]


@pytest.mark.parametrize("kind", ["", "atom/"])
def test_section_feed_has_only_that_sections_stories(client, story, kind):
    world = SectionFactory(name="World", slug="world")
    abroad = ArticleFactory(section=world)
    feed = parse_feed(client, f"/feeds/{kind}section/world/")
    assert [entry.title for entry in feed.entries] == [abroad.headline]
    assert feed.feed.title.startswith("World")
    assert client.get(f"/feeds/{kind}section/nowhere/").status_code == 404


@pytest.mark.parametrize("kind", ["", "atom/"])
def test_contributor_feed_has_only_their_stories(client, story, kind):
    ArticleFactory(headline="Not by Amara")
    feed = parse_feed(client, f"/feeds/{kind}people/amara-okafor/")
    assert [entry.title for entry in feed.entries] == [story.headline]
    assert client.get(f"/feeds/{kind}people/nobody/").status_code == 404


def test_pages_link_their_feeds_for_autodiscovery(client, story):
    html = client.get("/section/national/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/feeds/section/national/"' in html
    html = client.get("/people/amara-okafor/").content.decode()
    assert 'href="/feeds/atom/people/amara-okafor/"' in html


def test_feeds_are_publicly_cacheable(client, story):
    assert "public" in client.get("/feeds/latest/")["Cache-Control"]


# --- sitemaps ---------------------------------------------------------------------


def xml_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def test_sitemap_index_lists_articles_sections_and_contributors(client, story):
    index = xml_of(client, "/sitemap.xml")
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert locations == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-contributors.xml",
    ]


def test_sitemap_index_pages_carry_the_latest_change(client, story, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 1)
    latest = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(minutes=1))
    entries = list(xml_of(client, "/sitemap.xml").iter(f"{SITEMAP}sitemap"))
    pages = [entry for entry in entries if "sitemap-articles.xml" in entry.find(f"{SITEMAP}loc").text]
    # One page per story id (limit 1), the first without ?p=, every one with the newest change.
    assert [entry.find(f"{SITEMAP}loc").text for entry in pages[:2]] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
    ]
    assert len(pages) == latest.pk
    expected = timezone.localtime(latest.reader_modified_at).isoformat()
    assert {entry.find(f"{SITEMAP}lastmod").text for entry in pages} == {expected}
    others = [entry for entry in entries if entry not in pages]
    assert [entry.find(f"{SITEMAP}lastmod") for entry in others] == [None, None]


def test_sitemap_index_entries_read_as_the_stock_templates(settings):
    """Our index template and Django's give the same entries, dates and escaping included."""
    settings.TIME_ZONE = "America/Chicago"
    items = [
        SitemapIndexItem("https://example.com/sitemap-articles.xml?p=2&x=<1>", timezone.now()),
        SitemapIndexItem("https://example.com/sitemap-events.xml", datetime.date(2026, 3, 1)),
        SitemapIndexItem("https://example.com/sitemap-sections.xml", None),
    ]

    def entries(template_name):
        xml = ET.fromstring(render_to_string(template_name, {"sitemaps": items}).strip())
        return [
            (entry.findtext(f"{SITEMAP}loc"), entry.findtext(f"{SITEMAP}lastmod"))
            for entry in xml.iter(f"{SITEMAP}sitemap")
        ]

    ours = entries("articles/sitemap_index.xml")
    assert ours == entries("sitemap_index.xml")
    assert ours[1] == ("https://example.com/sitemap-events.xml", "2026-03-01")
    assert ours[0][1].endswith(("-05:00", "-06:00"))  # in the site's time zone


def test_article_sitemap_has_each_story_with_lastmod(client, story):
    story.significantly_updated_at = timezone.now()
    story.save()
    story.refresh_from_db()
    (url,) = xml_of(client, "/sitemap-articles.xml").iter(f"{SITEMAP}url")
    assert url.find(f"{SITEMAP}loc").text == f"http://testserver{story.get_absolute_url()}"
    lastmod = url.find(f"{SITEMAP}lastmod").text
    assert lastmod == timezone.localtime(story.significantly_updated_at).isoformat()


def test_section_and_contributor_sitemaps(client, story):
    ContributorFactory(name="Has No Stories")
    sections = [loc.text for loc in xml_of(client, "/sitemap-sections.xml").iter(f"{SITEMAP}loc")]
    assert sections == ["http://testserver/section/national/"]
    people = [loc.text for loc in xml_of(client, "/sitemap-contributors.xml").iter(f"{SITEMAP}loc")]
    assert people == [
        "http://testserver/people/amara-okafor/",
        "http://testserver/people/ben-cole/",
        "http://testserver/people/tom%C3%A1s-reyes/",  # a Unicode slug, as an IRI
    ]


def test_contributor_sitemap_pages_are_bounded_by_all_contributors(client, story, monkeypatch):
    # Three bylined contributors and one without a story: four pages of one, the last short.
    ContributorFactory(name="Zed Has No Stories")
    monkeypatch.setattr(sitemaps.ContributorSitemap, "limit", 1)
    index = [loc.text for loc in xml_of(client, "/sitemap.xml").iter(f"{SITEMAP}loc")]
    pages = [loc for loc in index if "sitemap-contributors.xml" in loc]
    assert pages[-1] == "http://testserver/sitemap-contributors.xml?p=4"
    people = []
    for page in range(1, 5):
        xml = xml_of(client, f"/sitemap-contributors.xml?p={page}")
        people += [loc.text for loc in xml.iter(f"{SITEMAP}loc")]
    assert people == [
        "http://testserver/people/amara-okafor/",
        "http://testserver/people/ben-cole/",
        "http://testserver/people/tom%C3%A1s-reyes/",
    ]
    assert client.get("/sitemap-contributors.xml?p=5").status_code == 404


def test_news_sitemap_lists_stories_from_the_last_two_days_with_news_tags(client, story, settings):
    settings.LANGUAGE_CODE = "en-gb"
    settings.NEWSROOM_SITE_NAME = "The Harbour Times"
    ArticleFactory(headline="Last week's story", publish_at=timezone.now() - datetime.timedelta(days=3))
    (url,) = xml_of(client, "/sitemap-news.xml").iter(f"{SITEMAP}url")
    assert url.find(f"{SITEMAP}loc").text == f"http://testserver{story.get_absolute_url()}"
    news = url.find(f"{NEWS}news")
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "The Harbour Times"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "en"
    assert news.find(f"{NEWS}title").text == story.headline
    published = datetime.datetime.fromisoformat(news.find(f"{NEWS}publication_date").text)
    assert published == story.publish_at


def test_news_sitemap_escapes_headlines(client):
    ArticleFactory(headline="Salt & pepper <prices> rise")
    (title,) = xml_of(client, "/sitemap-news.xml").iter(f"{NEWS}title")
    assert title.text == "Salt & pepper <prices> rise"


# --- markup typed into any field reaches feed readers as text ------------------

MARKUP = '<b>Bold</b><script>alert("x")</script> & co'
ATOM = "{http://www.w3.org/2005/Atom}"
# Elements feed readers treat as HTML: after XML decoding they may hold only the site's own tags.
RSS_HTML_ELEMENTS = {"title", "description"}


@pytest.fixture
def marked_up():
    section = SectionFactory(name=f"World {MARKUP}", slug="world", description=f"Abroad {MARKUP}")
    story = ArticleFactory(
        headline=f"Headline {MARKUP}",
        dek=f"Dek {MARKUP}",
        section=section,
        lead_photo=PhotoFactory(credit=f"Credit {MARKUP}"),
        tags=[f"Tag {MARKUP}"],
    )
    contributor = ContributorFactory(name=f"Name {MARKUP}")
    BylineFactory(article=story, contributor=contributor)
    CorrectionFactory(article=story, text=f"Correction {MARKUP}")
    return section, contributor


def feed_urls(section, contributor):
    return [
        "/feeds/latest/",
        f"/feeds/section/{section.slug}/",
        f"/feeds/people/{contributor.slug}/",
        "/feeds/atom/latest/",
        f"/feeds/atom/section/{section.slug}/",
        f"/feeds/atom/people/{contributor.slug}/",
    ]


def test_rss_feeds_escape_markup_from_every_field_raw(client, marked_up):
    for url in feed_urls(*marked_up)[:3]:
        root = ET.fromstring(client.get(url).content)
        seen_plain = []
        for element in root.iter():
            text = element.text or ""
            if element.tag in RSS_HTML_ELEMENTS:
                assert "<b>" not in text and "<script" not in text, (url, element.tag, text)
            elif "<b>Bold</b>" in text:
                # Categories, authors and credits are plain text: XML escaping is all they need.
                seen_plain.append(element.tag)
        assert "category" in seen_plain and "{http://search.yahoo.com/mrss/}credit" in seen_plain, url


def test_rss_feeds_read_back_as_text_in_a_feed_reader(client, marked_up):
    section, contributor = marked_up
    for url in feed_urls(section, contributor)[:3]:
        feed = parse_feed(client, url)
        (entry,) = feed.entries
        for value in (feed.feed.title, feed.feed.subtitle, entry.title, entry.summary):
            assert "<b>" not in value and "<script" not in value, (url, value)
        assert "&lt;b&gt;Bold&lt;/b&gt;&lt;script&gt;" in entry.title
        assert "&lt;b&gt;Bold&lt;/b&gt;" in entry.summary and "Correction &lt;b&gt;" in entry.summary
        assert f"Tag {MARKUP}" in [tag.term for tag in entry.tags]
    section_feed = parse_feed(client, f"/feeds/section/{section.slug}/")
    assert section_feed.feed.subtitle.startswith("Abroad &lt;b&gt;Bold&lt;/b&gt;")
    people_feed = parse_feed(client, f"/feeds/people/{contributor.slug}/")
    assert "Name &lt;b&gt;Bold" in people_feed.feed.subtitle and "Name &lt;b&gt;" in people_feed.feed.title


def test_atom_feeds_carry_markup_as_plain_text_or_escaped_html(client, marked_up):
    for url in feed_urls(*marked_up)[3:]:
        root = ET.fromstring(client.get(url).content)
        for element in root.iter():
            text = element.text or ""
            if element.get("type") == "html":
                assert "<b>" not in text and "<script" not in text, (url, element.tag)
            elif element.tag.startswith(ATOM) and "<b>" in text:
                assert element.get("type") in (None, "text"), (url, element.tag)
        feed = parse_feed(client, url)
        (entry,) = feed.entries
        assert entry.title == f"Headline {MARKUP}" and entry.title_detail.type == "text/plain"
        assert "<b>" not in entry.summary and "&lt;b&gt;Bold" in entry.summary
