"""Story search: the reader search and the desk's search box.

On PostgreSQL: full-text search, headline weighted A, dek B, body C, ranked. The document is
the stored column `search_document`, which migration 0017 defines and indexes (GIN), so a
search reads each story's document instead of computing it. On other databases (SQLite in
development and tests): every word must appear somewhere in the headline, dek or body.

Whatever readers type is cut down before it reaches the database (`clean_query`), and at
most `MAX_RESULTS` of the newest matches are ranked, so no query does unbounded work.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import Expression, Q
from django.db.models.expressions import Col

from ..models import Article

# The document in migrations/0017_article_search_document.py is built with this configuration.
SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_RESULTS = 500

# The column migration 0017 adds on PostgreSQL. Not a field of the model, so SQLite has no
# such column and story queries never read the tsvector unless they ask for it.
DOCUMENT_COLUMN = SearchVectorField()
DOCUMENT_COLUMN.set_attributes_from_name("search_document")
DOCUMENT_COLUMN.model = Article  # Django tells columns apart by their model and name


class StoredDocument(Expression):
    """The story's weighted document (PostgreSQL only): its `search_document` column, of the
    query's own stories table, so it also works inside a subquery. Migration 0017 holds the
    definition."""

    output_field = DOCUMENT_COLUMN

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return Col(query.get_initial_alias(), DOCUMENT_COLUMN)


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
        return articles.alias(document=StoredDocument()).filter(document=query)
    return _every_word(articles, text)


def _every_word(articles, text):
    for word in text.split():
        articles = articles.filter(
            Q(headline__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word)
        )
    return articles


def _full_text(articles, text):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    # Rank only the newest matches: a word found in every story must not rank every story.
    newest = articles.alias(document=StoredDocument()).filter(document=query).order_by("-publish_at", "-id")
    return (
        articles.filter(pk__in=newest.values("pk")[:MAX_RESULTS])
        .alias(rank=SearchRank(StoredDocument(), query))
        .order_by("-rank", "-publish_at", "-id")
    )


def _contains_every_word(articles, text):
    newest = _every_word(articles, text).order_by("-publish_at", "-id")
    return articles.filter(pk__in=newest.values("pk")[:MAX_RESULTS]).order_by("-publish_at", "-id")
