"""Pages that must cost the same at a million stories: bounded counts, ranges and searches."""

import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin import scale
from articles.models import Article
from articles.public import paging, sitemaps, views
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def count_queries(client, url, data=None):
    client.get(url, data)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return len(queries), response


def test_article_sitemap_pages_hold_every_published_story_once(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    stories = [ArticleFactory() for _ in range(5)]
    ArticleFactory(draft=True)
    # Pages are ranges of ids (2 a page here); ids need not start at 1 (PostgreSQL's don't).
    pages = math.ceil(Article.objects.order_by("-pk").first().pk / 2)
    index = client.get("/sitemap.xml").content.decode()
    assert f"sitemap-articles.xml?p={pages}<" in index and f"sitemap-articles.xml?p={pages + 1}<" not in index
    listed = []
    for page in range(1, pages + 1):
        xml = client.get("/sitemap-articles.xml", {"p": page}).content.decode()
        locs = re.findall(r"<loc>http://testserver(.+?)</loc>", xml)
        assert len(locs) <= 2
        listed += locs
    assert sorted(listed) == sorted(story.get_absolute_url() for story in stories)
    assert client.get("/sitemap-articles.xml", {"p": pages + 1}).status_code == 404


def test_sitemap_index_queries_do_not_grow_with_stories(client):
    ArticleFactory()
    few, _ = count_queries(client, "/sitemap.xml")
    for _ in range(6):
        ArticleFactory()
    many, _ = count_queries(client, "/sitemap.xml")
    assert few == many


def test_section_pages_stop_at_the_page_cap(client, monkeypatch):
    monkeypatch.setattr(views.StoryListView, "paginate_by", 1)
    monkeypatch.setattr(paging.CappedPaginator, "max_pages", 2)
    section = SectionFactory(slug="harbour")
    for _ in range(4):
        ArticleFactory(section=section)
    assert client.get("/section/harbour/", {"page": 2}).status_code == 200
    assert client.get("/section/harbour/", {"page": 3}).status_code == 404


def test_section_page_queries_are_the_same_deep_in_the_list(client, monkeypatch):
    monkeypatch.setattr(views.StoryListView, "paginate_by", 2)
    section = SectionFactory(slug="harbour")
    for _ in range(6):
        ArticleFactory(section=section, with_photo=True)
    first, _ = count_queries(client, "/section/harbour/")
    deep, _ = count_queries(client, "/section/harbour/", {"page": 3})
    assert first == deep == 6


def stories_with_bylines(count, headline="Harbour dredging"):
    for _ in range(count):
        story = ArticleFactory(headline=f"{headline} {_}", with_photo=True)
        BylineFactory(article=story)


def test_admin_search_queries_do_not_grow_with_rows(client, editor):
    url = reverse("admin:articles_article_changelist")
    stories_with_bylines(2)
    few, response = count_queries(client, url, {"q": "dredging"})
    assert response.context["cl"].result_count == 2
    stories_with_bylines(8)
    many, response = count_queries(client, url, {"q": "dredging"})
    assert response.context["cl"].result_count == 10
    assert few == many


def test_admin_contributor_filter_lists_only_contributors_with_bylines(client, editor):
    story = ArticleFactory()
    bylined = BylineFactory(article=story).contributor
    BylineFactory(article=ArticleFactory())
    idle = ContributorFactory(name="Never Bylined")
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert bylined.name in html and idle.name not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_admin_list_shows_the_planner_estimate_for_long_lists(client, editor, monkeypatch):
    monkeypatch.setattr(scale, "EXACT_COUNT_BELOW", 1)
    for _ in range(3):
        ArticleFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:articles_article_changelist"))
    cl = response.context["cl"]
    assert cl.result_count == scale.planner_estimate(cl.queryset)
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")
def test_admin_search_uses_the_full_text_document_on_postgresql(client, editor):
    ArticleFactory(headline="Harbour dredging begins")
    ArticleFactory(headline="Unrelated")
    url = reverse("admin:articles_article_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "dredged"})  # stemmed: dredging ~ dredged
    assert [a.headline for a in response.context["cl"].result_list] == ["Harbour dredging begins"]
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"search_document" @@' in sql and "to_tsvector" not in sql  # stored, not computed
