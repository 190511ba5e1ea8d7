"""Reader and desk search: results, hostile input, pagination, and on PostgreSQL ranking, the
stored document and its index.

Run the PostgreSQL half with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_reader pytest tests/test_search.py
"""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.public import views
from articles.stories import search
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)
FUNCTIONAL_INDEX = importlib.import_module("articles.migrations.0003_article_search_index")
DOCUMENT = importlib.import_module("articles.migrations.0017_article_search_document")
HOSTILE_QUERIES = pytest.mark.parametrize(
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


@HOSTILE_QUERIES
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


# --- The editors' desk: the same search, drafts included ---------------------------


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


def desk_headlines(client, term):
    response = client.get(reverse("admin:articles_article_changelist"), {"q": term})
    assert response.status_code == 200
    return {article.headline for article in response.context["cl"].result_list}


def test_desk_finds_what_readers_find_and_drafts(client, editor, stories):
    draft = ArticleFactory(headline="Ferry strike talks, draft", draft=True)
    readers = set(headlines(client.get("/search/", {"q": "ferry strike"})))
    assert readers == {stories[key].headline for key in ("headline", "dek", "body")}
    assert desk_headlines(client, "ferry strike") == readers | {draft.headline}


@HOSTILE_QUERIES
def test_hostile_desk_searches_answer_200(client, editor, stories, query):
    response = client.get(reverse("admin:articles_article_changelist"), {"q": query})
    assert response.status_code == 200


def test_edited_story_is_found_by_its_new_words(client, editor, stories):
    story = stories["headline"]
    story.headline, story.body = "Harbour dredging resumes", "<p>Silt moved overnight.</p>"
    story.save()
    for term, found in (("dredging", True), ("silt", True), ("crossings", False)):
        assert (story.headline in headlines(client.get("/search/", {"q": term}))) is found, term
        assert (story.headline in desk_headlines(client, term)) is found, term


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
def test_stored_document_is_the_weighted_headline_dek_and_body(stories):
    # The expression Django's SearchVector built for the functional index of migration 0003,
    # which the stored column replaced: the stored document must be the very same.
    weighted = FUNCTIONAL_INDEX.search_index().expressions[0]
    ArticleFactory(headline="Ferries: 3 crossings & <b>one</b> strike", dek="", body="")
    documents = Article.objects.annotate(stored=search.StoredDocument(), computed=weighted)
    pairs = list(documents.values_list("stored", "computed"))
    assert len(pairs) == 5 and all(stored == computed for stored, computed in pairs)
    stored = documents.get(pk=stories["dek"].pk).stored
    assert "'morn':1A" in stored and "'ferri':4B" in stored


@pytest.fixture
def filler(stories):
    """Enough other stories for the planner to prefer an index to reading the table."""
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
    with connection.cursor() as cursor:
        # What autovacuum does: statistics, and the new rows moved from the GIN index's list
        # of pending entries into the index proper (the planner counts a long list as slow).
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [DOCUMENT.INDEX_NAME])


@postgres_only
def test_search_uses_the_document_index(filler):
    plan = search.search_articles(Article.objects.published(), "ferry strike").explain()
    assert DOCUMENT.INDEX_NAME in plan and "to_tsvector" not in plan


@postgres_only
def test_desk_search_uses_the_document_index(client, editor, filler):
    with CaptureQueriesContext(connection) as queries:
        desk_headlines(client, "ferry strike")
    # The changelist's own queries that search (its count and its page), as it ran them.
    searches = [
        query["sql"]
        for query in queries.captured_queries
        if "search_document" in query["sql"] and not query["sql"].startswith("EXPLAIN")
    ]
    assert len(searches) == 2
    with connection.cursor() as cursor:
        for sql in searches:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row for (row,) in cursor.fetchall())
            assert DOCUMENT.INDEX_NAME in plan and "to_tsvector" not in plan, plan


@postgres_only
def test_document_index_replaces_the_functional_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article'")
        indexes = dict(cursor.fetchall())
    assert FUNCTIONAL_INDEX.INDEX_NAME not in indexes
    assert indexes[DOCUMENT.INDEX_NAME].endswith("USING gin (search_document)")
