"""Story cards rendered once and kept in the project's cache (Redis in production), so a page
that lists stories renders only the cards it has not shown lately.

A card is keyed by its story (id, `version`, `updated_at`, `reader_modified_at`), its size and
the counter every purge moves (caching/generation.py): a story edited, withdrawn or corrected,
or a renamed section, an edited contributor or photo, gets a new card at once. Otherwise a card
is kept NEWSROOM_PUBLIC_CACHE_SECONDS, and a page built from it is kept (by the app, or by a
cache in front, through its max-age) no longer than the card (caching/kept.py). Each card is
kept with its surrogate keys, so a page built from kept cards is purged by the same changes as
one that rendered them.

Which stories are shown is never kept here: callers pass cards already read through
`Article.objects.published()`, and only those are shown.

Switched on with the page cache (NEWSROOM_PAGE_CACHE, caching/kept.py); off, or with the cache
unreachable, every card is rendered.
"""

import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..caching import generation, kept
from ..caching import keys as surrogate_keys
from ..models import Article
from ..models.article_queries import prefetch_cards

KEY_PREFIX = "story-card:v2"
TEMPLATE = "includes/_story_card.html"


# What a card is kept by: a story read with only these fields is enough when its card is kept.
KEY_FIELDS = ("id", "version", "updated_at", "reader_modified_at")


def _key(story, size, counter):
    changed = (story.updated_at, story.reader_modified_at)
    stamps = [moment.timestamp() if moment else "-" for moment in changed]
    return ":".join(map(str, [KEY_PREFIX, counter, story.pk, story.version, *stamps, size]))


def story_cards(request, stories, *, size="", prefetch_with=()):
    """The HTML of each of `stories`' cards, in order, their surrogate keys noted for `request`.

    Kept cards come from the cache in one read; the others have their renditions and bylines
    fetched (together with those of `prefetch_with`, stories the page shows in full), are
    rendered and kept. A story whose card is kept needs only its KEY_FIELDS; one read with
    only those and not kept is read again, and left out if it is no longer published.
    """
    stories = list(stories)
    switched_on = kept.switched_on()
    if switched_on:
        counter = generation.current_for(request)
        keys = [_key(story, size, counter) for story in stories]
        found = kept.get_many(keys)
    else:
        keys, found = [None] * len(stories), {}
    to_render = _whole([story for story, key in zip(stories, keys, strict=True) if key not in found])
    prefetch_cards([*prefetch_with, *to_render.values()])
    seconds = settings.NEWSROOM_PUBLIC_CACHE_SECONDS
    until = time.time() + seconds
    cards, fresh = [], {}
    for story, key in zip(stories, keys, strict=True):
        if key in found:
            html, card_keys, card_until = found[key]
            kept.note_fresh_until(request, card_until)
        elif (whole := to_render.get(story.pk)) is not None:
            html, card_keys, _ = fresh[key] = (_render(whole, size), surrogate_keys.card_keys(whole), until)
        else:
            continue
        surrogate_keys.add_keys(request, card_keys)
        cards.append(mark_safe(html))  # rendered by our template, which escapes
    if switched_on:
        kept.set_many(fresh, timeout=seconds)
    return cards


def read_counter(request):
    """Read the purge counter before the stories a list page shows: a purge landing between
    the two then cannot have a card built from the older rows kept under the newer counter."""
    if kept.switched_on():
        generation.current_for(request)


def _whole(stories):
    """`stories` by pk, with all a card shows: those read with only KEY_FIELDS are read again
    through the visibility rule, and left out if no longer published."""
    partial = {story.pk for story in stories if story.get_deferred_fields()}
    again = Article.objects.published().cards(prefetch=False).in_bulk(partial) if partial else {}
    return {story.pk: story for story in stories if story.pk not in partial} | again


def _render(story, size):
    return render_to_string(TEMPLATE, {"article": story, "size": size})
