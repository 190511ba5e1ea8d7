"""One counter that moves whenever a public page goes stale anywhere: the project's own caches
of pages that show many stories (the home page) put it in their keys.

`purge` in purge.py moves it for every change it is told of, whether or not a cache in front
is configured (NEWSROOM_PURGE_URLS): a page kept in the app must not outlive a change that
Varnish was told to forget, or Varnish would fetch the stale copy again.
"""

from django.core.cache import cache

from . import kept

KEY = "public-pages:generation"


def current():
    """The counter's value now (0 until anything changed since the cache started, or while the
    cache cannot be reached: nothing kept can be read then either)."""
    return kept.get(KEY, 0)


def get_with_counter(request, key):
    """`kept.get(key)`, reading the counter for `request` (`current_for`) in the same round trip."""
    found = kept.get_many([key, KEY])
    request._purge_generation = found.get(KEY, 0)
    return found.get(key)


def current_for(request):
    """`current()`, read once for `request`: a page reads it for its cards and navigation."""
    if not hasattr(request, "_purge_generation"):
        request._purge_generation = current()
    return request._purge_generation


def advance():
    """Make every page kept under the current value stale."""
    try:
        cache.incr(KEY)
    except ValueError:  # not set yet (a fresh or flushed cache)
        cache.add(KEY, 1, timeout=None) or cache.incr(KEY)
