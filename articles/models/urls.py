import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def remembered_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), remembered by this process.

    A page asks its stories, sections and contributors for their URLs many times (links,
    Open Graph, JSON-LD, header and footer, on every request), and reversing is among the
    dearest steps of a render. The URLs are fixed for given arguments, so the answers are
    kept (the most recent few thousand); a changed slug or date is simply another entry.
    """
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(urlconf, get_script_prefix(), viewname, tuple(kwargs.items()))


@functools.lru_cache(maxsize=4096)
def _reverse(urlconf, script_prefix, viewname, kwargs):
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))
