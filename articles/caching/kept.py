"""The project's cache as the reader site uses it (rendered pages, cards and navigation, the
related-stories choice): a shortcut, never a dependency.

Switched on by NEWSROOM_PAGE_CACHE (on by default when REDIS_URL is set). When the cache cannot
be reached, reads find nothing and writes are dropped, with a warning in the log: every page
is rendered as if the cache were empty, and readers never see an error because Redis is down.
"""

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def switched_on():
    return getattr(settings, "NEWSROOM_PAGE_CACHE", False)


def get(key, default=None):
    try:
        return cache.get(key, default)
    except Exception:  # noqa: BLE001 — any cache backend's error: Redis, memcached, sockets
        logger.warning("Cache unavailable: rendering without it", exc_info=True)
        return default


def get_many(keys):
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable: rendering without it", exc_info=True)
        return {}


def set(key, value, timeout):  # noqa: A001 — as django.core.cache names it
    set_many({key: value}, timeout)


def set_many(entries, timeout):
    if not entries:
        return
    try:
        cache.set_many(entries, timeout=timeout)
    except Exception:  # noqa: BLE001
        logger.warning("Cache unavailable: not keeping what was rendered", exc_info=True)
