"""The reader site's navigation: the sections in order, and the header's and footer's section
menus rendered from them.

With the page cache on (caching/kept.py), each process keeps the sections and the menus while
the purge counter stands (caching/generation.py: adding, renaming, reordering or deleting a
section in the admin moves it) and for at most NEWSROOM_PUBLIC_CACHE_SECONDS (a section changed
outside the admin shows within that time), like the rest of a kept page. Off, every page reads
and renders them.
"""

import time

from django.conf import settings
from django.template.loader import render_to_string

from ..caching import generation, kept
from ..models import Section

# As this process last read them: (purge counter, kept until, sections, menus rendered).
_kept = (None, 0.0, [], {})


def sections(request):
    """The sections in navigation order, read once per request."""
    if not hasattr(request, "_nav_sections"):
        request._nav_sections, request._nav_menus, until = _current(request)
        if until is not None:
            kept.note_fresh_until(request, until)
    return request._nav_sections


def menu(request, template_name, current_section=None):
    """`template_name` rendered with `sections` and `current_section` (None, or the section
    the page belongs to, marked as current)."""
    found = sections(request)
    menus = request._nav_menus
    key = (template_name, current_section.pk if current_section else None)
    if key not in menus:
        context = {"sections": found, "current_section": current_section}
        menus[key] = render_to_string(template_name, context).strip()
    return menus[key]


def forget():
    """Read the sections afresh on the next page (for tests, whose database rolls back)."""
    global _kept
    _kept = (None, 0.0, [], {})


def _current(request):
    """The sections, the menus rendered from them and until when they are kept (None: not
    kept), kept or read now."""
    global _kept
    if not kept.switched_on():
        return list(Section.objects.all()), {}, None
    counter, now = generation.current_for(request), time.time()
    kept_counter, until, found, menus = _kept
    if kept_counter != counter or now >= until:
        until, found, menus = now + settings.NEWSROOM_PUBLIC_CACHE_SECONDS, list(Section.objects.all()), {}
        _kept = (counter, until, found, menus)
    return found, menus, until
