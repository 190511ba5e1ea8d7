"""A story page's parts read in the story's own row: its bylines (with their contributors), its
lead photo's renditions, its tags and its corrections, each as a JSON array in one column.

The story page reads a story and these four lists on every render. As prefetches they are four
more queries, and Django spends far longer building each query and its objects than the
database spends answering it (bench/README.md). As subqueries of the story's row they cost
nothing more to build than their SQL text, written here once for each database.
`attach_parts` files the objects where the prefetches would have (each instance's prefetch
cache), so templates and code read `story.bylines.all()` and the rest as before.

For one story read on its own: `Article.objects.with_parts()`. Lists of story cards use
`prefetch_cards`.
"""

import datetime
import json
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from .article import Correction
from .people import Byline, Contributor
from .photo import Rendition

STORY = '"articles_article"'  # the story row's table, as the outer query names it


@dataclass(frozen=True)
class Part:
    """One list: rows of `models`' columns (joined), from `source` (SQL correlated on the story
    row), in `order` (SQL), filed in the prefetch cache named `cache` of the story (or of its
    lead photo, with `on_photo`)."""

    cache: str
    models: tuple
    source: str
    order: str
    on_photo: bool = False

    @property
    def column(self):
        return f"{self.cache}_part"


PARTS = (
    Part(
        "bylines",
        (Byline, Contributor),
        "articles_byline b JOIN articles_contributor c ON c.id = b.contributor_id "
        f'WHERE b.article_id = {STORY}."id"',
        "b.position, b.id",
    ),
    Part(
        "renditions",
        (Rendition,),
        f'articles_rendition r WHERE r.photo_id = {STORY}."lead_photo_id"',
        "r.id",
        on_photo=True,
    ),
    Part(
        "tags",
        (Tag,),
        f'taggit_taggeditem i JOIN taggit_tag t ON t.id = i.tag_id WHERE i.object_id = {STORY}."id" '
        "AND i.content_type_id = %s",
        "i.id",
    ),
    Part(
        "corrections",
        (Correction,),
        f'articles_correction k WHERE k.article_id = {STORY}."id"',
        "k.created_at, k.id",
    ),
)
_ALIASES = {Byline: "b", Contributor: "c", Rendition: "r", Tag: "t", Correction: "k"}


def _columns(part):
    return ", ".join(
        f'{_ALIASES[model]}."{field.column}"'
        for model in part.models
        for field in model._meta.concrete_fields
    )


def _sql(part, vendor):
    # Each row starts with its `order` values: SQLite does not promise json_group_array keeps
    # the inner query's order, so attach_parts sorts by them.
    row = f"{part.order}, {_columns(part)}"
    if vendor == "postgresql":
        rows = f"json_agg(json_build_array({row}) ORDER BY {part.order})"
        return f"(SELECT coalesce({rows}, '[]'::json) FROM {part.source})"
    # SQLite: json() keeps each row an array, not a string, through the inner query.
    inner = f"SELECT json_array({row}) AS part_row FROM {part.source} ORDER BY {part.order}"
    return f"(SELECT json_group_array(json(part_row)) FROM ({inner}))"


def annotations(story_model, vendor):
    """The four columns to annotate a queryset of `story_model` with, for database `vendor`."""
    tagged_as = ContentType.objects.get_for_model(story_model).pk
    return {
        part.column: RawSQL(_sql(part, vendor), (tagged_as,) if part.cache == "tags" else ())
        for part in PARTS
    }


def attach_parts(story):
    """File the objects of `story`'s part columns in the prefetch caches (see the module)."""
    for part in PARTS:
        rows = getattr(story, part.column)
        rows = json.loads(rows) if isinstance(rows, str) else rows
        ordered_by = len(part.order.split(","))
        rows = [row[ordered_by:] for row in sorted(rows, key=lambda row: row[:ordered_by])]
        owner = story.lead_photo if part.on_photo else story
        if owner is None:
            continue
        objects = [_instances(part.models, row, story._state.db) for row in rows]
        if part.cache == "bylines":
            for byline, contributor in objects:
                Byline.contributor.field.set_cached_value(byline, contributor)
        objects = [found[0] for found in objects]
        if part.cache == "renditions":
            for rendition in objects:
                Rendition.photo.field.set_cached_value(rendition, owner)
        _file(owner, part.cache, objects)


def _instances(model_list, row, db):
    found, start = [], 0
    for model in model_list:
        fields = model._meta.concrete_fields
        values = [
            _value(field, raw) for field, raw in zip(fields, row[start : start + len(fields)], strict=True)
        ]
        found.append(model.from_db(db, [field.attname for field in fields], values))
        start += len(fields)
    return found


def _value(field, raw):
    if raw is None:
        return None
    if isinstance(field, models.DateTimeField):
        moment = datetime.datetime.fromisoformat(raw)
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    return field.to_python(raw)


def _file(owner, cache, objects):
    """Where prefetch_related_objects keeps a fetched list: a queryset whose results are in.

    Its filter (what a further query on it would ask) is built only if it is used, as Django's
    related managers defer theirs; taggit's manager builds its joins at once, so tags get
    their own.
    """
    if cache == "tags":
        queryset = Tag.objects.all()
        queryset._defer_next_filter = True
        queryset = queryset.filter(pk__in=[tag.pk for tag in objects])
    else:
        queryset = getattr(owner, cache).get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    owner._prefetched_objects_cache = getattr(owner, "_prefetched_objects_cache", {})
    owner._prefetched_objects_cache[cache] = queryset
