"""A story's bylines, renditions, tags and corrections read in its own row (models/story_parts.py)
are the same objects, field for field, as the prefetches read; on SQLite and on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Byline
from articles.models.article_queries import bylines_prefetch
from articles.models.story_parts import attach_parts
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, CorrectionFactory, PhotoFactory

pytestmark = pytest.mark.django_db

AWKWARD = 'Line one\nline two, "quoted", \\ back-slashed, </script> & <!-- ünïcödé — 東京 🚇'


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def parts_of(story):
    """Everything the parts hold, as plain values: equal only if every field and type is."""
    photo = story.lead_photo
    return {
        "bylines": [(fields_of(b), fields_of(b.contributor)) for b in story.bylines.all()],
        "renditions": sorted(
            (fields_of(r) for r in (photo.renditions.all() if photo else [])), key=lambda r: r["id"]
        ),
        "tags": [fields_of(tag) for tag in story.tags.all()],
        "corrections": [fields_of(correction) for correction in story.corrections.all()],
    }


def read_both_ways(story):
    with_parts = Article.objects.cards(prefetch=False).with_parts().get(pk=story.pk)
    attach_parts(with_parts)
    prefetched = Article.objects.cards(prefetch=False).get(pk=story.pk)
    prefetch_related_objects(
        [prefetched], "lead_photo__renditions", bylines_prefetch(), "tags", "corrections"
    )
    return with_parts, prefetched


def test_parts_in_the_row_equal_the_prefetched_ones():
    story = ArticleFactory(lead_photo=PhotoFactory(), tags=["Tōkyō transit", 'He said "no"', "Ünïon"])
    headshot = PhotoFactory()
    people = [
        ContributorFactory(name=AWKWARD[:100], bio=AWKWARD, headshot=headshot),
        ContributorFactory(name="Ann O'Neil", bio=""),
        ContributorFactory(name="Wire staff", job_title=""),
    ]
    # Positions out of creation order, and a tie broken by id.
    BylineFactory(article=story, contributor=people[0], position=2, role=Byline.Role.PHOTOGRAPHS)
    BylineFactory(article=story, contributor=people[1], position=0)
    BylineFactory(article=story, contributor=people[2], position=2, role=Byline.Role.ADDITIONAL_REPORTING)
    moment = timezone.now().replace(microsecond=123456)
    CorrectionFactory(article=story, text=AWKWARD, created_at=moment)
    CorrectionFactory(
        article=story, text="Earlier.", created_at=moment - datetime.timedelta(days=1, microseconds=1)
    )

    with_parts, prefetched = read_both_ways(story)

    ours, theirs = parts_of(with_parts), parts_of(prefetched)
    assert ours == theirs
    assert [type(value) for value in ours["corrections"][0].values()] == [
        type(value) for value in theirs["corrections"][0].values()
    ]
    assert ours["corrections"][1]["created_at"] == moment and moment.tzinfo is not None
    assert {r["square"] for r in ours["renditions"]} == {True, False}
    assert [b[1]["name"] for b in ours["bylines"]] == ["Ann O'Neil", AWKWARD[:100], "Wire staff"]
    assert len(ours["tags"]) == 3


def test_reading_the_parts_runs_no_query():
    story = ArticleFactory(lead_photo=PhotoFactory(), tags=["Ferries"])
    BylineFactory(article=story)
    CorrectionFactory(article=story)
    with_parts, _ = read_both_ways(story)
    with CaptureQueriesContext(connection) as queries:
        parts_of(with_parts)
        for rendition in with_parts.lead_photo.renditions.all():
            assert rendition.photo is with_parts.lead_photo
        assert with_parts.bylines.all()[0].contributor.name
    assert len(queries) == 0


def test_a_story_with_no_parts_and_no_lead_photo():
    story = ArticleFactory()
    with_parts, prefetched = read_both_ways(story)
    assert with_parts.lead_photo is None
    assert (
        parts_of(with_parts)
        == parts_of(prefetched)
        == {
            "bylines": [],
            "renditions": [],
            "tags": [],
            "corrections": [],
        }
    )


def test_parts_belong_to_their_own_story_only():
    story, other = ArticleFactory(tags=["Ferries"]), ArticleFactory(tags=["Bridges"])
    CorrectionFactory(article=other)
    BylineFactory(article=other)
    with_parts, _ = read_both_ways(story)
    assert [tag.name for tag in with_parts.tags.all()] == ["Ferries"]
    assert list(with_parts.corrections.all()) == [] and list(with_parts.bylines.all()) == []


def test_a_further_query_on_a_part_asks_for_the_story_own_only():
    story, other = ArticleFactory(tags=["Ferries", "Harbours"]), ArticleFactory(tags=["Ferries"])
    CorrectionFactory(article=story, text="Fixed the fare.")
    CorrectionFactory(article=other)
    with_parts, _ = read_both_ways(story)
    assert [tag.name for tag in with_parts.tags.filter(name__startswith="H")] == ["Harbours"]
    assert with_parts.tags.count() == 2
    assert [c.text for c in with_parts.corrections.filter(text__contains="fare")] == ["Fixed the fare."]
    assert with_parts.corrections.exclude(text="").count() == 1
