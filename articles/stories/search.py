"""Story search for readers.

On PostgreSQL: full-text search, headline weighted A, dek B, body C, ranked, served by the
GIN index that migration 0003 builds from the same expression as `search_vector()`. On
other databases (SQLite in development and tests): every word must appear somewhere in the
headline, dek or body.

Whatever readers type is cut down before it reaches the database (`clean_query`), and at
most `MAX_RESULTS` of the newest matches are ranked, so no query does unbounded work.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

# The index in migrations/0003_article_search_index.py is built for this configuration.
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_RESULTS = 500


def search_vector():
    """The weighted document; migration 0003 indexes exactly this expression."""
    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def clean_query(text):
    """The reader's words, without control characters (psycopg refuses NUL), length-capped."""
    text = (text or "")[: MAX_QUERY_LENGTH * 2]
    printable = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(printable.split()[:MAX_TERMS])[:MAX_QUERY_LENGTH].strip()


def search_articles(articles, text):
    """Stories in `articles` (already limited to published ones) matching `text`, best first."""
    text = clean_query(text)
    if not text:
        return articles.none()
    if connections[articles.db].vendor == "postgresql":
        return _full_text(articles, text)
    return _contains_every_word(articles, text)


def search_matches(articles, text):
    """Stories in `articles` matching `text`, unranked and unordered (the editors' desk
    keeps its own order); the same document and index as the reader search."""
    text = clean_query(text)
    if not text:
        return articles
    if connections[articles.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return articles.alias(document=search_vector()).filter(document=query)
    return _every_word(articles, text)


def _every_word(articles, text):
    for word in text.split():
        articles = articles.filter(
            Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
        )
    return articles


def _full_text(articles, text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    vector = search_vector()
    # Rank only the newest matches: a word found in every story must not rank every story.
    newest = articles.alias(document=vector).filter(document=query).order_by("-publish_at", "-id")
    return (
        articles.filter(pk__in=newest.values("pk")[:MAX_RESULTS])
        .alias(rank=SearchRank(vector, query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _contains_every_word(articles, text):
    newest = _every_word(articles, text).order_by("-publish_at", "-id")
    return articles.filter(pk__in=newest.values("pk")[:MAX_RESULTS]).order_by("-publish_at", "-id")
