"""How stories are read: the queryset behind ``Article.objects`` and the story-card prefetches."""

from django.db import connections, models
from django.db.models import Prefetch, Q
from django.utils import timezone

from .people import Byline


def bylines_prefetch():
    return Prefetch(
        "bylines", queryset=Byline.objects.select_related("contributor").order_by("position", "id")
    )


# What a story card shows besides its own row: joined in, then fetched for all cards at once.
CARD_JOINS = ("section", "lead_photo")


def prefetch_cards(articles):
    """Fetch the renditions and bylines of story cards already fetched, one query each."""
    articles = list(articles)
    models.prefetch_related_objects(articles, "lead_photo__renditions", bylines_prefetch())
    return articles


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public may see: published, its time has come, no embargo holds it."""
        now = timezone.now()
        # One filter() (each one copies the query): the same SQL as .exclude(embargo_until__gt=now).
        return self.filter(
            Q(status=self.model.Status.PUBLISHED, publish_at__lte=now) & ~Q(embargo_until__gt=now)
        )

    def scheduled(self):
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__gt=timezone.now())

    def changed_since(self, moment):
        """Stories changed in any way at or after `moment`: saved, gone live or corrected."""
        # A correction touches its story's updated_at; both columns are indexed.
        return self.filter(Q(updated_at__gte=moment) | Q(publish_at__gte=moment))

    def bylined_by(self, contributor):
        return self.filter(pk__in=Byline.objects.filter(contributor=contributor).values("article"))

    def own_or_bylined(self, user):
        """Stories `user` started or is bylined on: what a reporter may edit and preview."""
        bylined = Byline.objects.filter(contributor__user=user).values("article")
        return self.filter(Q(created_by=user) | Q(pk__in=bylined))

    def with_bylines(self):
        return self.prefetch_related(bylines_prefetch())

    def cards(self, *, prefetch=True):
        """Story cards: section and lead photo joined, and (unless `prefetch=False`, for lists
        combined before `prefetch_cards`) renditions and bylines in one query each."""
        cards = self.select_related(*CARD_JOINS)
        if prefetch:
            cards = cards.prefetch_related("lead_photo__renditions", bylines_prefetch())
        return cards

    def with_parts(self):
        """With the story page's bylines, renditions, tags and corrections in each row, for
        `story_parts.attach_parts` (one story read on its own; see models/story_parts.py)."""
        from .story_parts import annotations

        return self.annotate(**annotations(self.model, connections[self.db].vendor))

    def for_article_page(self):
        """Everything the article page shows, in a constant number of queries."""
        return self.cards().prefetch_related("tags", "corrections")
