"""The reader's pages: what each shows, caching, redirects and the SQL each one runs."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Correction
from articles.public import views
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The elements of an HTML page as (tag, attributes) pairs, with the text of some."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.text = {}
        self._open = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag):
        while self._open:
            index = self._open.pop()
            if self.elements[index][0] == tag:
                break

    def handle_data(self, data):
        for index in self._open:
            self.text[index] = self.text.get(index, "") + data

    def find_all(self, tag, **attrs):
        """Elements named `tag` whose attributes include `attrs` (class_ matches one class)."""
        wanted_class = attrs.pop("class_", None)
        found = []
        for index, (name, attributes) in enumerate(self.elements):
            if name != tag or any(attributes.get(key) != value for key, value in attrs.items()):
                continue
            if wanted_class and wanted_class not in (attributes.get("class") or "").split():
                continue
            found.append((attributes, " ".join(self.text.get(index, "").split())))
        return found

    def find(self, tag, **attrs):
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}> on the page"
        return found[0]

    def meta(self, key):
        """The content of <meta property=key> or <meta name=key>."""
        for name, attributes in self.elements:
            if name == "meta" and key in (attributes.get("property"), attributes.get("name")):
                return attributes.get("content")
        return None


def page_of(response):
    return Page(response.content.decode())


def small_photo(**kwargs):
    """A small picture through the real pipeline: fewer renditions, faster tests."""
    return PhotoFactory(size=(200, 150), **kwargs)


def full_story(*, section, contributor, tag="Transit", **kwargs):
    """A published story with every kind of related row the pages read."""
    story = ArticleFactory(section=section, lead_photo=small_photo(), tags=[tag, "Budgets"], **kwargs)
    BylineFactory(article=story, contributor=contributor, position=0)
    BylineFactory(article=story, position=1)
    BylineFactory(article=story, role=Byline.Role.PHOTOGRAPHS, position=2)
    CorrectionFactory(article=story)
    return story


@pytest.fixture
def national():
    return SectionFactory(name="National", slug="national", position=1)


@pytest.fixture
def reporter():
    return ContributorFactory(
        name="Amara Okafor",
        job_title="Washington correspondent",
        bio="Covers Congress.",
        headshot=small_photo(),
    )


@pytest.fixture
def story(national, reporter):
    story = ArticleFactory(
        section=national,
        kicker="Analysis",
        headline="Council approves the east side transit plan",
        dek="The vote ends a two-year fight over bus lanes.",
        dateline="WASHINGTON",
        body="<p>The council voted 7 to 2.</p><p>Buses come next year.</p>",
        lead_photo=PhotoFactory(caption="Buses queue on Main Street.", credit="Jane Doe / Continental Press"),
        lead_photo_caption="Buses queue on Main Street at dawn.",
        tags=["Transit", "City budgets"],
    )
    BylineFactory(article=story, contributor=reporter, position=0)
    BylineFactory(article=story, contributor=ContributorFactory(name="Ben Cole"), position=1)
    BylineFactory(
        article=story,
        contributor=ContributorFactory(name="Tomás Reyes"),
        role=Byline.Role.PHOTOGRAPHS,
        position=2,
    )
    return story


# --- the article page -----------------------------------------------------------


def test_article_page_shows_kicker_headline_dek_and_bylines(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    assert page.find("p", class_="article-kicker")[1] == "National Analysis"
    assert page.find("h1", class_="article-headline")[1] == story.headline
    assert page.find("p", class_="article-dek")[1] == story.dek
    assert page.find("p", class_="byline-primary")[1] == "By Amara Okafor and Ben Cole"
    assert page.find("p", class_="byline-secondary")[1] == "Photographs by Tomás Reyes"
    assert page.find("a", href="/people/amara-okafor/")


def test_article_page_shows_published_time_and_updated_only_after_a_significant_update(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'Published <time datetime="{timezone.localtime(story.publish_at).isoformat()}">' in html
    assert "Updated" not in html
    Article.objects.filter(pk=story.pk).update(significantly_updated_at=timezone.now())
    story.refresh_from_db()
    html = client.get(story.get_absolute_url()).content.decode()
    assert (
        f'Updated <time datetime="{timezone.localtime(story.significantly_updated_at).isoformat()}">' in html
    )


def test_article_lead_photo_is_a_figure_with_responsive_image_caption_and_credit(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    img = page.find("img", fetchpriority="high")[0]
    assert img["alt"] == "People waiting on a railway platform."
    assert int(img["width"]) > 0 and int(img["height"]) > 0
    assert " 320w" in img["srcset"] and img["sizes"]
    assert page.find("span", class_="caption")[1] == "Buses queue on Main Street at dawn."
    assert page.find("span", class_="credit")[1] == "Jane Doe / Continental Press"
    assert page.find("source", type="image/webp")


def test_dateline_opens_the_first_paragraph(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<p><span class="dateline">WASHINGTON —</span> The council voted 7 to 2.</p>' in html


def test_corrections_tags_and_share_links_at_the_foot(client, story):
    CorrectionFactory(article=story, kind=Correction.Kind.UPDATE, text="Adds the mayor's comments.")
    page = page_of(client.get(story.get_absolute_url()))
    correction = page.find("aside", class_="corrections")[1]
    assert "Update (" in correction and "Adds the mayor's comments." in correction
    assert page.find_all("time", datetime=timezone.localtime(story.corrections.get().created_at).isoformat())
    assert {text for _, text in page.find_all("a", rel="tag")} == {"City budgets", "Transit"}
    share = [attrs["href"] for attrs, _ in page.find_all("a") if "share" in attrs.get("href", "")]
    assert any("facebook.com" in href and "council-approves" in href for href in share)
    assert b"<script src" not in client.get(story.get_absolute_url()).content


def test_related_stories_share_the_section_or_a_tag_and_are_published(client, story, national):
    same_section = ArticleFactory(section=national, headline="Same section story")
    same_tag = ArticleFactory(section=SectionFactory(), headline="Same tag story", tags=["Transit"])
    ArticleFactory(section=SectionFactory(), headline="Unrelated story")
    ArticleFactory(section=national, headline="Draft in the section", draft=True)
    page = page_of(client.get(story.get_absolute_url()))
    related = [text for _, text in page.find_all("h2", class_="card-headline")]
    assert related == [same_tag.headline, same_section.headline]  # shared tags rank first


def test_article_url_uses_the_newsrooms_time_zone(client, settings, national):
    settings.TIME_ZONE = "America/New_York"
    late = ArticleFactory(
        section=national,
        slug="late-vote",
        publish_at=datetime.datetime(2026, 1, 2, 3, 0, tzinfo=datetime.UTC),
    )
    assert late.get_absolute_url() == "/2026/01/01/late-vote/"
    response = client.get("/2026/01/01/late-vote/")
    assert response.context["article"] == late
    assert client.get("/2026/01/02/late-vote/").status_code == 404


def test_old_url_redirects_permanently_after_slug_change(client, story):
    old = story.get_absolute_url()
    story.slug = "transit-plan-approved"
    story.save()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()


def test_old_url_of_a_story_with_a_non_latin_slug_redirects(client, national):
    story = ArticleFactory(section=national, headline="Москва закрывает мост", slug="")
    old = story.get_absolute_url()
    story.slug = "мост-закрыт"
    story.save()
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == story.get_absolute_url()


def test_withdrawn_story_answers_410_without_its_content(client, story):
    url = story.get_absolute_url()
    story.status = Article.Status.WITHDRAWN
    story.save()
    response = client.get(url)
    assert response.status_code == 410
    assert b"This story has been withdrawn" in response.content
    assert story.headline.encode() not in response.content


def test_impossible_date_is_404(client, story):
    assert client.get(f"/2026/02/30/{story.slug}/").status_code == 404


def test_article_page_is_publicly_cacheable_for_the_configured_time(client, settings, story):
    settings.NEWSROOM_PUBLIC_CACHE_SECONDS = 120
    response = client.get(story.get_absolute_url())
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=120"}


def test_article_page_answers_conditional_get_with_304(client, story):
    first = client.get(story.get_absolute_url())
    assert first.has_header("ETag")
    again = client.get(story.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_etag_changes_when_a_correction_is_added(client, story):
    before = client.get(story.get_absolute_url())["ETag"]
    CorrectionFactory(article=story)
    response = client.get(story.get_absolute_url(), headers={"if-none-match": before})
    assert response.status_code == 200 and response["ETag"] != before


def test_preview_has_banner_noindex_and_no_store(client, national):
    draft = ArticleFactory(section=national, draft=True, headline="Unpublished scoop")
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    response = client.get(reverse("articles:preview", args=[draft.pk]))
    page = page_of(response)
    assert page.find("div", class_="preview-banner")[1].startswith("Preview — not published")
    assert page.meta("robots") == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert page.meta("og:title") is None and b"application/ld+json" not in response.content


def test_public_article_has_no_preview_banner_or_noindex(client, story):
    page = page_of(client.get(story.get_absolute_url()))
    assert not page.find_all("div", class_="preview-banner")
    assert page.meta("robots") is None


# --- lists -------------------------------------------------------------------------


def test_home_leads_with_the_newest_featured_story(client, national):
    older_featured = ArticleFactory(
        section=national, featured=True, publish_at=timezone.now() - datetime.timedelta(days=2)
    )
    featured = ArticleFactory(
        section=national, featured=True, publish_at=timezone.now() - datetime.timedelta(days=1)
    )
    newest = ArticleFactory(section=national)
    page = page_of(client.get("/"))
    lead = page.find("section", class_="home-lead")[1]
    assert featured.headline in lead and newest.headline not in lead
    top = page.find("ul", class_="top-stories")[1]
    assert newest.headline in top and older_featured.headline in top


def test_home_leads_with_the_newest_story_when_none_is_featured(client, national):
    ArticleFactory(section=national, publish_at=timezone.now() - datetime.timedelta(days=1))
    newest = ArticleFactory(section=national)
    assert newest.headline in page_of(client.get("/")).find("section", class_="home-lead")[1]


def test_home_shows_the_latest_per_section_after_the_top_stories(client, national):
    world = SectionFactory(name="World", slug="world", position=2)
    stories = [
        ArticleFactory(section=national, publish_at=timezone.now() - datetime.timedelta(hours=hours))
        for hours in range(1, 7)
    ]
    old_world = ArticleFactory(section=world, publish_at=timezone.now() - datetime.timedelta(days=9))
    page = page_of(client.get("/"))
    headings = [text for _, text in page.find_all("h2", class_="rail-heading")]
    assert headings == ["National ›", "World ›"]
    rail = page.find("div", class_="section-rail")[1]
    assert stories[5].headline in rail and old_world.headline in rail
    assert stories[0].headline not in rail  # already the lead


def test_home_with_no_stories_is_fine(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["lead"] is None and response.context["top_stories"] == []
    assert "<main" in response.content.decode()


def test_section_page_lists_its_stories_paginated(client, national, monkeypatch):
    monkeypatch.setattr(views.SectionView, "paginate_by", 2)
    mine = [
        ArticleFactory(section=national, publish_at=timezone.now() - datetime.timedelta(hours=h))
        for h in (1, 2, 3)
    ]
    other = ArticleFactory(section=SectionFactory())
    first = client.get("/section/national/")
    assert mine[0].headline.encode() in first.content and other.headline.encode() not in first.content
    assert page_of(first).find("a", rel="next")[0]["href"] == "?page=2"
    second = client.get("/section/national/?page=2")
    assert mine[2].headline.encode() in second.content
    assert client.get("/section/national/?page=9").status_code == 404
    assert client.get("/section/nowhere/").status_code == 404


def test_section_page_marks_itself_current_in_the_navigation(client, national):
    page = page_of(client.get("/section/national/"))
    assert page.find("a", href="/section/national/", **{"aria-current": "page"})


def test_contributor_page_shows_headshot_title_bio_and_their_stories(client, story, reporter):
    ArticleFactory(section=story.section, headline="Someone else's story")
    page = page_of(client.get(reporter.get_absolute_url()))
    assert page.find("h1", class_="contributor-name")[1] == "Amara Okafor"
    assert page.find("p", class_="contributor-title")[1] == "Washington correspondent"
    assert page.find("p", class_="contributor-bio")[1] == "Covers Congress."
    assert page.find("img", class_="contributor-headshot")[0]["width"] == "128"
    headlines = [text for _, text in page.find_all("h2", class_="card-headline")]
    assert headlines == [story.headline]


def test_tag_page_lists_tagged_stories(client, story):
    ArticleFactory(section=story.section, headline="Untagged story")
    page = page_of(client.get("/tag/transit/"))
    assert page.find("h1")[1] == "Transit"
    assert [text for _, text in page.find_all("h2", class_="card-headline")] == [story.headline]
    assert client.get("/tag/no-such-tag/").status_code == 404


def test_corrections_page_lists_notes_on_published_stories_newest_first(client, story, national):
    old = CorrectionFactory(
        article=story, text="Older note.", created_at=timezone.now() - datetime.timedelta(days=1)
    )
    new = CorrectionFactory(article=story, kind=Correction.Kind.EDITORS_NOTE, text="Newer note.")
    CorrectionFactory(article=ArticleFactory(section=national, draft=True), text="On a draft.")
    page = page_of(client.get(reverse("articles:corrections")))
    notes = [text for _, text in page.find_all("p", class_="card-dek")]
    assert notes == [new.text, old.text]
    assert page.find("p", class_="card-kicker")[1] == "Editor's note"


def test_list_pages_are_publicly_cacheable(client, story):
    for url in ["/", "/section/national/", "/tag/transit/", "/people/amara-okafor/", "/corrections/"]:
        assert "public" in client.get(url)["Cache-Control"], url


def test_not_found_page_is_styled_and_noindex(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = page_of(response)
    assert page.meta("robots") == "noindex" and page.find("form", class_="search-form")


def test_robots_txt_names_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /preview/" in text


# --- SQL per page ---------------------------------------------------------------------


def queries_for(client, url):
    client.get(url)  # warm per-process caches (content types for tags)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = {
    "home": ("/", 7),  # with the front page layout lookup
    "section": ("/section/national/", 6),
    "contributor": ("/people/amara-okafor/", 7),
    "tag": ("/tag/transit/", 6),
    "search": ("/search/?q=council", 5),
    "corrections": ("/corrections/", 3),
    "feed": ("/feeds/latest/", 5),
    "section feed": ("/feeds/atom/section/national/", 6),
}


@pytest.mark.parametrize("name", PAGES)
def test_list_page_queries_do_not_grow_with_stories(client, national, reporter, name):
    url, expected = PAGES[name]
    full_story(section=national, contributor=reporter)
    few = queries_for(client, url)
    for _ in range(4):
        full_story(section=national, contributor=reporter)
    many = queries_for(client, url)
    assert few == many == expected


def test_article_page_renders_in_five_queries_however_much_it_shows(client, national, reporter):
    """Rendered fresh (the page cache is off in tests): the story with its bylines, renditions,
    tags and corrections (models/story_parts.py), its related stories, the renditions and
    bylines of their cards at once, and the navigation."""
    story = full_story(section=national, contributor=reporter)
    full_story(section=national, contributor=reporter)  # one related story, then five
    few = queries_for(client, story.get_absolute_url())
    for number in range(4):
        full_story(section=national, contributor=reporter)
        CorrectionFactory(article=story)
        story.tags.add(f"Extra {number}")
        BylineFactory(article=story)
    many = queries_for(client, story.get_absolute_url())
    assert few == many == 5
    assert re.search(rb'<section class="related"', client.get(story.get_absolute_url()).content)
