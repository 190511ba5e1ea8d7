"""A GIN index for full-text search on PostgreSQL; nothing on other databases.

It is written out here rather than imported so this migration never changes under us.
Migration 0017 replaces this index with a stored column holding the same document, and
builds this index again when reversed (tests/test_search.py checks the two documents agree).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "article_search_gin"
CONFIG = "english"


def search_index():
    vector = (
        SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("dek", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )
    return GinIndex(vector, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), search_index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), search_index())


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_newsroom_groups")]

    operations = [migrations.RunPython(create_index, drop_index)]
