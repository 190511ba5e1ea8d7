"""Who has a story open in the admin, so editors know before they collide.

Kept in the cache (Redis in production; per process without REDIS_URL), so it is a hint, not a
lock: the stale-save check is what protects the text.
"""

import logging

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

OPEN_FOR = 15 * 60  # seconds an opened story counts as "open"


def _key(article):
    return f"articles:open:{article.pk}"


def note_opened(article, user, *, editing=True):
    """Return the others who opened the story to edit it recently; record `user` if `editing`.

    With the cache unreachable the answer is "nobody else": the notice is a hint, and the
    story form must open all the same.
    """
    now = timezone.now()
    try:
        seen = cache.get(_key(article), {})
    except Exception:  # noqa: BLE001 — any cache backend's error: Redis, memcached, sockets
        logger.warning("Cache unavailable: not showing who else has story %s open", article.pk, exc_info=True)
        return []
    recent = {
        user_id: (name, opened_at)
        for user_id, (name, opened_at) in seen.items()
        if (now - opened_at).total_seconds() < OPEN_FOR and user_id != user.pk
    }
    others = sorted(recent.values(), key=lambda entry: entry[1])
    if editing:
        recent[user.pk] = (user.get_full_name() or user.get_username(), now)
        try:
            cache.set(_key(article), recent, OPEN_FOR)
        except Exception:  # noqa: BLE001
            logger.warning("Cache unavailable: could not note that story %s is open", article.pk)
    return others
