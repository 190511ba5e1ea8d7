"""Reader search: results, hostile input, pagination, and on PostgreSQL ranking and the index.

Run the PostgreSQL half with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_reader pytest tests/test_search.py
"""

import pytest
from django.db import connection

from articles.models import Article
from articles.public import views
from articles.stories import search
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


def headlines(response):
    assert response.status_code == 200
    return [article.headline for article in response.context["articles"]]


@pytest.fixture
def stories():
    return {
        "headline": ArticleFactory(headline="Ferry strike halts island crossings", dek="", body="<p>No.</p>"),
        "dek": ArticleFactory(headline="Morning briefing", dek="A ferry strike stops crossings.", body=""),
        "body": ArticleFactory(headline="Weekend roundup", dek="", body="<p>The ferry strike goes on.</p>"),
        "other": ArticleFactory(headline="Council budget vote", dek="", body="<p>Budgets.</p>"),
    }


def test_search_finds_words_in_headline_dek_and_body(client, stories):
    found = headlines(client.get("/search/", {"q": "ferry strike"}))
    assert set(found) == {stories[key].headline for key in ("headline", "dek", "body")}


def test_search_finds_only_published_stories(client, stories):
    ArticleFactory(headline="Ferry strike draft", draft=True)
    ArticleFactory(headline="Ferry strike scheduled", scheduled=True)
    ArticleFactory(headline="Ferry strike withdrawn", withdrawn=True)
    found = headlines(client.get("/search/", {"q": "ferry"}))
    assert not {"Ferry strike draft", "Ferry strike scheduled", "Ferry strike withdrawn"} & set(found)


def test_search_with_no_matches_says_so(client, stories):
    response = client.get("/search/", {"q": "zeppelin"})
    assert headlines(response) == [] and b"No results for" in response.content


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "ferry\x00strike",
        "\x00",
        "x" * 100_000,
        "ferry " * 5_000,
        "!!! & | ( ) :* <-> ''' \" \\ % _ ;--",
        "' OR 1=1 --",
        "🚢⛴️ ferry",
    ],
    ids=["empty", "blank", "nul", "only-nul", "huge", "many-words", "operators", "sql", "emoji"],
)
def test_hostile_queries_answer_200(client, stories, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    # Whatever was typed, the page shows the cleaned words back and only published stories.
    assert "\x00" not in response.context["query"] and len(response.context["query"]) <= 200
    assert all(article.is_public for article in response.context["articles"])


def test_query_that_is_not_utf8_answers_200(client, stories):
    response = client.get("/search/?q=%ED%A0%80%FF%00ferry")
    assert response.status_code == 200
    assert "ferry" in response.context["query"] and "\x00" not in response.context["query"]


def test_empty_query_runs_no_search(client, stories, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the navigation only
        response = client.get("/search/")
    assert headlines(response) == []


def test_nul_byte_is_dropped_not_sent_to_the_database(client, stories):
    found = headlines(client.get("/search/", {"q": "ferry\x00"}))
    assert stories["headline"].headline in found


def test_clean_query_caps_length_and_words():
    assert search.clean_query("a\x00b\tc\n") == "a b c"
    assert len(search.clean_query("x" * 10_000)) == search.MAX_QUERY_LENGTH
    assert len(search.clean_query("word " * 1_000).split()) == search.MAX_TERMS


def test_results_are_paginated_and_keep_the_query(client, monkeypatch):
    monkeypatch.setattr(views.SearchView, "paginate_by", 2)
    for number in range(5):
        ArticleFactory(headline=f"Ferry timetable change {number}")
    first = client.get("/search/", {"q": "ferry"})
    assert len(headlines(first)) == 2
    assert b'href="?page=2&amp;q=ferry"' in first.content
    assert len(headlines(client.get("/search/", {"q": "ferry", "page": 3}))) == 1


def test_results_are_capped(monkeypatch, stories):
    monkeypatch.setattr(search, "MAX_RESULTS", 2)
    assert search.search_articles(Article.objects.published(), "ferry").count() == 2


def test_search_page_is_not_indexed(client):
    assert b'<meta name="robots" content="noindex">' in client.get("/search/", {"q": "ferry"}).content


# --- PostgreSQL full-text search ----------------------------------------------------


@postgres_only
def test_ranks_headline_above_dek_above_body(client, stories):
    found = headlines(client.get("/search/", {"q": "ferry strike"}))
    assert found == [stories[key].headline for key in ("headline", "dek", "body")]


@postgres_only
def test_matches_word_forms(client, stories):
    assert stories["headline"].headline in headlines(client.get("/search/", {"q": "ferries striking"}))


@postgres_only
def test_websearch_syntax_excludes_words(client, stories):
    found = headlines(client.get("/search/", {"q": "ferry -weekend"}))
    assert stories["body"].headline not in found and stories["headline"].headline in found


@postgres_only
def test_search_uses_the_gin_index(stories):
    filler = [
        Article(
            headline=f"Routine council item {number}",
            slug=f"routine-{number}",
            body="<p>Minutes of the meeting.</p>",
            section=stories["other"].section,
            status=Article.Status.PUBLISHED,
            publish_at=stories["other"].publish_at,
            preview_key=f"{number:032d}",
        )
        for number in range(2000)
    ]
    Article.objects.bulk_create(filler)
    queryset = search.search_articles(Article.objects.published(), "ferry strike")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        plan = queryset.explain()
    assert "article_search_gin" in plan


@postgres_only
def test_gin_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_gin'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition.lower() and "to_tsvector" in definition
