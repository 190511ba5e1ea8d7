import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ..caching import generation, kept
from ..models import Section

# The navigation as this process last read it: (purge counter, read until, sections).
_kept_sections = (None, 0.0, [])


def nav_sections(request):
    """The sections in navigation order, once per request (pages that list stories by section
    use the same list as the header and footer).

    With the page cache on (caching/kept.py), each process keeps the list while the purge
    counter stands (caching/generation.py: renaming or reordering a section in the admin moves
    it) and for at most NEWSROOM_PUBLIC_CACHE_SECONDS, like the rest of a kept page.
    """
    if not hasattr(request, "_nav_sections"):
        request._nav_sections = _sections(request)
    return request._nav_sections


def forget_sections():
    """Read the sections afresh on the next page (for tests, whose database rolls back)."""
    global _kept_sections
    _kept_sections = (None, 0.0, [])


def _sections(request):
    global _kept_sections
    if not kept.switched_on():
        return list(Section.objects.all())
    counter, now = generation.current_for(request), time.time()
    kept_counter, until, sections = _kept_sections
    if kept_counter != counter or now >= until:
        sections = list(Section.objects.all())
        _kept_sections = (counter, now + settings.NEWSROOM_PUBLIC_CACHE_SECONDS, sections)
    return sections


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "nav_sections": SimpleLazyObject(lambda: nav_sections(request)),
    }
