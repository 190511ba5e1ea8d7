"""A stored full-text document for stories on PostgreSQL; nothing on other databases.

`search_document` is a generated column: PostgreSQL computes it from the headline (weight A),
dek (B) and body (C) whenever a story is written, and the GIN index on it serves searches
(articles/stories/search.py), which no longer compute the document of each row they check
or rank. It replaces the functional index of migration 0003 and holds the same document:
DOCUMENT is the SQL Django's SearchVector emits for that index, written out here (the one
definition of the document) so this migration never changes under us; tests/test_search.py
checks the two agree.

The model does not declare the column: SQLite has none, and story queries never read it.
Adding it rewrites the stories table, with reads and writes to stories waiting meanwhile
(docs/deploy.md). PostgreSQL refuses to change the type or length of a column that a
generated column reads: a migration that alters headline, dek or body must drop the column
first and add it (and its index) again after.
"""

import importlib

from django.db import migrations

FUNCTIONAL_INDEX = importlib.import_module("articles.migrations.0003_article_search_index")

TABLE = "articles_article"
COLUMN = "search_document"
INDEX_NAME = "article_search_document_gin"
DOCUMENT = (
    "setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(dek, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')"
)
CREATE_INDEX = f"CREATE INDEX {INDEX_NAME} ON {TABLE} USING gin ({COLUMN})"


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Dropped first, so that the table rewrite below does not rebuild it.
    schema_editor.remove_index(apps.get_model("articles", "Article"), FUNCTIONAL_INDEX.search_index())
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(CREATE_INDEX)


def drop_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN {COLUMN}")  # and its index
    schema_editor.add_index(apps.get_model("articles", "Article"), FUNCTIONAL_INDEX.search_index())


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_photo_upload_checks_in_worker")]

    operations = [migrations.RunPython(add_document, drop_document)]
