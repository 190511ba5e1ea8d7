"""The project's cache as the reader site uses it (rendered pages, cards and navigation, the
related-stories choice): a shortcut, never a dependency.

Switched on by NEWSROOM_PAGE_CACHE (on by default when REDIS_URL is set). When the cache cannot
be reached, reads find nothing and writes are dropped, with a warning in the log: every page
is rendered as if the cache were empty, and readers never see an error because Redis is down.
After a failure the process leaves the cache alone for DOWN_FOR seconds, so a Redis that
times out slows one request, not every request.

A page built from kept parts must not be kept longer than they may be: each part notes when
it stops being fresh (`note_fresh_until`), and the page's lifetime, in the app's cache and in
its max-age for a cache in front, is cut to the earliest (`seconds_left`).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DOWN_FOR = 10
_down_until = 0.0


def note_fresh_until(request, moment):
    """A part of the page `request` is building may be shown until `moment` (`time.time()`)."""
    noted = getattr(request, "_kept_fresh_until", None)
    if noted is None or moment < noted:
        request._kept_fresh_until = moment


def seconds_left(request, seconds):
    """`seconds`, cut so the page outlives none of the kept parts it was built from."""
    until = getattr(request, "_kept_fresh_until", None)
    return seconds if until is None else min(seconds, until - time.time())


def try_again():
    """Use the cache on the next call even if it failed lately (for tests)."""
    global _down_until
    _down_until = 0.0


def _reachable():
    return time.monotonic() >= _down_until


def _failed(doing):
    global _down_until
    _down_until = time.monotonic() + DOWN_FOR
    logger.warning("Cache unavailable: %s, and leaving it alone for %s s", doing, DOWN_FOR, exc_info=True)


def switched_on():
    return getattr(settings, "NEWSROOM_PAGE_CACHE", False)


def get(key, default=None):
    if not _reachable():
        return default
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 — any cache backend's error: Redis, memcached, sockets
        _failed("rendering without it")
        return default


def get_many(keys):
    if not keys or not _reachable():
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001
        _failed("rendering without it")
        return {}


def set(key, value, timeout):  # noqa: A001 — as django.core.cache names it
    set_many({key: value}, timeout)


def set_many(entries, timeout):
    if not entries or not _reachable():
        return
    try:
        cache.set_many(entries, timeout=timeout)
    except Exception:  # noqa: BLE001
        _failed("not keeping what was rendered")
