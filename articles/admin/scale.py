"""The story list at a million rows: no full count, no full scan, an indexed search.

Django's changelist counts every matching row on each page view, lists contributor filter
choices by scanning every byline and searches with `icontains` over every body. Each is
fine for a thousand stories and grows with the archive; these replacements do not.
"""

import json

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, OuterRef
from django.utils.functional import cached_property

from ..models import Byline, Contributor
from ..stories.search import search_matches

# Above this many rows (by the planner's estimate) the changelist shows the estimate.
EXACT_COUNT_BELOW = 10_000


def planner_estimate(queryset):
    """PostgreSQL's estimate of how many rows `queryset` returns, read from EXPLAIN."""
    sql, params = queryset.order_by().query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to EXACT_COUNT_BELOW rows; beyond that (PostgreSQL only) uses the
    planner's estimate, so a page of a million-row list costs what a page of ten thousand
    does. The last page of an estimate may come out short or empty, which the admin shows
    as an empty page."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if connections[queryset.db].vendor == "postgresql":
            estimate = planner_estimate(queryset)
            if estimate >= EXACT_COUNT_BELOW:
                return estimate
        return queryset.count()


class BylinedContributorFilter(admin.RelatedFieldListFilter):
    """Contributors with at least one byline, each checked by an index probe instead of
    collecting the contributors of every story (RelatedOnlyFieldListFilter)."""

    def field_choices(self, field, request, model_admin):
        bylined = Contributor.objects.filter(Exists(Byline.objects.filter(contributor=OuterRef("pk"))))
        return [(contributor.pk, str(contributor)) for contributor in bylined.order_by("name")]


def search_stories(queryset, term):
    """Stories matching the desk's search box: the full-text index on PostgreSQL (the same
    document readers search), every word in headline, dek or body elsewhere."""
    return search_matches(queryset, term)
