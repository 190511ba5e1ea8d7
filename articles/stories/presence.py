"""Who has a story open in the admin, so editors know before they collide.

Kept in the cache (Redis in production; per process without REDIS_URL), so it is a hint, not a
lock: the stale-save check is what protects the text.
"""

from django.core.cache import cache
from django.utils import timezone

OPEN_FOR = 15 * 60  # seconds an opened story counts as "open"


def _key(article):
    return f"articles:open:{article.pk}"


def note_opened(article, user, *, editing=True):
    """Return the others who opened the story to edit it recently; record `user` if `editing`."""
    now = timezone.now()
    recent = {
        user_id: (name, opened_at)
        for user_id, (name, opened_at) in cache.get(_key(article), {}).items()
        if (now - opened_at).total_seconds() < OPEN_FOR and user_id != user.pk
    }
    others = sorted(recent.values(), key=lambda entry: entry[1])
    if editing:
        recent[user.pk] = (user.get_full_name() or user.get_username(), now)
        cache.set(_key(article), recent, OPEN_FOR)
    return others
