"""Reader lists that must stay cheap however large the archive grows.

Each list is built from a few bounded, indexed seeks ("the newest N published stories in
this section", "the newest N sharing a tag") combined with UNION ALL, so the database
never scores or ranks the whole archive. Each seek is wrapped as `pk IN (... LIMIT N)`
because SQLite refuses LIMIT inside a compound statement.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from taggit.models import TaggedItem

from ..models import Article

# Candidates for a story's related list: the newest in its section and the newest
# sharing one of its tags, this many of each, then ranked by tags in common.
RELATED_CANDIDATES = 24
NEWEST_FIRST = ("-publish_at", "-id")


def _newest(stories, count):
    """The pks of the newest `count` of `stories`, as one part of a UNION ALL."""
    newest = stories.order_by(*NEWEST_FIRST).values("pk")[:count]
    return Article.objects.filter(pk__in=newest).order_by().values("pk")


def _union(parts):
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def _story_tags(story):
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=story.pk
    ).values("tag_id")


def related_stories(story, *, limit):
    """Up to `limit` published stories related to `story`: most tags in common first, then newest.

    Only the newest RELATED_CANDIDATES in the story's section and the newest sharing a tag
    are considered, so the cost is the same for the first story and the millionth.
    """
    published = Article.objects.published().exclude(pk=story.pk)
    article_type = ContentType.objects.get_for_model(Article)
    story_tags = _story_tags(story)
    tagged_alike = TaggedItem.objects.filter(content_type=article_type, tag_id__in=story_tags)
    candidates = _union(
        [
            _newest(published.filter(section_id=story.section_id), RELATED_CANDIDATES),
            _newest(published.filter(pk__in=tagged_alike.values("object_id")), RELATED_CANDIDATES),
        ]
    )
    shared_tags = (
        tagged_alike.filter(object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Article.objects.published()
        .cards(prefetch=False)
        .filter(pk__in=candidates)
        .alias(shared_tags=Coalesce(Subquery(shared_tags), 0))
        .order_by("-shared_tags", *NEWEST_FIRST)[:limit]
    )


def published_in_order(ids, *, fields):
    """The published stories of `ids`, in that order, read with only `fields`; ids no longer
    published are left out."""
    found = Article.objects.published().only(*fields).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def newest_per_section(sections, *, per_section, exclude=()):
    """Story cards: the newest `per_section` published stories of each of `sections`,
    leaving out the pks in `exclude`, ordered by section then newest first. One query."""
    if not sections:
        return Article.objects.none()
    published = Article.objects.published().exclude(pk__in=list(exclude))
    parts = [_newest(published.filter(section_id=section.pk), per_section) for section in sections]
    return (
        Article.objects.published()
        .cards(prefetch=False)
        .filter(pk__in=_union(parts))
        .order_by("section__position", "section__name", *NEWEST_FIRST)
    )
