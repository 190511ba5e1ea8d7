"""Public pagination that costs the same on a young site and on a million-story archive."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Readers reach older stories through search, tags, sitemaps and feeds; list pages stop here.
MAX_PAGES = 100


class CappedPaginator(Paginator):
    """Counts at most `max_pages` pages of rows (a bounded `COUNT` over a `LIMIT`), so a
    section with a hundred thousand stories is not counted on every page view. Pages past
    the cap answer 404 like any page past the end."""

    max_pages = MAX_PAGES

    @cached_property
    def count(self):
        cap = self.max_pages * self.per_page
        return self.object_list[:cap].count()
