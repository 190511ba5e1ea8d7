"""Rendered pages kept in the project's cache (Redis in production): story pages, keyed by the
story, and the home page.

The story row is always read first (it decides whether the page may be shown at all), so a
withdrawn story is gone at once and a correction or edit shows at once: its `version`,
`updated_at` or `reader_modified_at` is part of the key. What else the page shows (related
stories, photos, navigation) may be at most NEWSROOM_PUBLIC_CACHE_SECONDS old, and an entry
never outlives the moment the next scheduled story goes live, so that story joins the
related lists on time. Responses carry what is left of that time as their max-age, so a
shared cache in front cannot stretch it.

Requests with a query string are rendered fresh and not stored: any query string would
otherwise add an entry, and the page never depends on one.

The related-stories list is kept the same way, as story ids (`related_stories`): choosing it is
the dearest part of a render (a ranked UNION of index seeks that the ORM takes milliseconds
to build), so even a page that is rendered fresh (a query string, a new version) reuses it.
The ids are only a choice: the cards are always read through Article.objects.published(),
so a related story withdrawn a second ago is gone from the next render, and a new one joins
within the same bound as the rest of the page.

The home page is kept too (`home_page`), keyed by the counter every purge moves, since it shows
too many stories to check one by one.

Switched on by NEWSROOM_PAGE_CACHE (on by default when REDIS_URL is set); with the cache
unreachable every page is rendered (caching/kept.py).
"""

import math
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from ..caching import generation, kept
from ..caching import keys as surrogate_keys
from ..models import Article, FrontPage
from ..stories import listings
from . import cards

KEY_PREFIX = "story-page:v1"
HOME_PREFIX = "home-page:v1"
RELATED_PREFIX = "story-related:v2"


def _enabled(request):
    return kept.switched_on() and not request.META.get("QUERY_STRING")


def _key(request, story):
    changed = [story.updated_at, story.reader_modified_at]
    stamps = ".".join(str(moment.timestamp()) if moment else "-" for moment in changed)
    where = [request.scheme, request.get_host(), request.path]
    return ":".join([KEY_PREFIX, *where, str(story.pk), str(story.version), stamps])


def lifetime(*, layouts=False):
    """Seconds a rendered page may be kept: the public cache time, or less when a scheduled
    story (or, with `layouts`, a front page layout) goes live sooner. One query (two)."""
    now = timezone.now()
    seconds = settings.NEWSROOM_PUBLIC_CACHE_SECONDS
    upcoming = [
        Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    ]
    if layouts:
        upcoming.append(
            FrontPage.objects.filter(status=FrontPage.Status.SCHEDULED, go_live_at__gt=now)
            .order_by("go_live_at")
            .values_list("go_live_at", flat=True)
            .first()
        )
    for moment in upcoming:
        if moment is not None:
            seconds = min(seconds, (moment - now).total_seconds())
    return seconds


def story_page(request, story, render):
    """The page of `story`, from the cache when a fresh copy is there, else `render()`d
    (a response) and stored."""
    if not _enabled(request):
        return render()
    return _kept(request, _key(request, story), render, lifetime)


def home_page(request, render):
    """The home page, from the cache when a fresh copy is there, else `render()`d and stored.

    It shows dozens of stories, so rather than checking each it is keyed by the counter that
    every purge moves (caching/generation.py): any publish, edit, withdrawal, photo change or
    front page layout going live makes it stale at once, on every app server. A copy also
    never outlives the public cache time, nor the moment the next scheduled story or layout
    goes live (those go live by the clock, and the periodic job's purge may come later).
    """
    if not _enabled(request):
        return render()
    where = [request.scheme, request.get_host(), request.path]
    key = ":".join([HOME_PREFIX, *where, str(generation.current())])
    return _kept(request, key, render, lambda: lifetime(layouts=True))


def _kept(request, key, render, lifetime):
    """The response stored under `key` while fresh, else `render()` stored for `lifetime()`
    seconds (asked only when rendering). Responses say how long they may still be kept."""
    entry = kept.get(key)
    now = time.time()
    if entry is not None and entry["expires"] > now:
        response = HttpResponse(entry["content"], content_type=entry["content_type"])
        surrogate_keys.add_keys(request, entry["keys"])
        response["X-Page-Cache"] = "hit"
        patch_cache_control(response, max_age=max(0, math.floor(entry["expires"] - now)))
        return response
    def keep(response):
        # Once rendered: the kept parts the page used have noted how long they may be shown.
        seconds = kept.seconds_left(request, lifetime())
        if response.status_code == 200 and seconds >= 1:
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "keys": sorted(surrogate_keys.noted_keys(request)),
                "expires": now + seconds,
            }
            kept.set(key, entry, timeout=math.ceil(seconds))
        response["X-Page-Cache"] = "miss"
        patch_cache_control(response, max_age=max(0, math.floor(seconds)))

    response = render()
    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(keep)
    else:
        keep(response)
    return response


def related_stories(request, story, *, limit):
    """The story's related story cards: chosen by stories/listings.py, or, when that choice was
    made less than a page's lifetime ago, the same stories read again by id."""
    if not kept.switched_on():
        return list(listings.related_stories(story, limit=limit))
    key = f"{RELATED_PREFIX}:{story.pk}:{story.version}:{story.section_id}:{limit}"
    choice = generation.get_with_counter(request, key)  # the cards' keys need the counter next
    if choice is not None:
        ids, until = choice
        kept.note_fresh_until(request, until)  # a page shows the choice no longer than it is kept
        # Just what a card is kept by: cards.story_cards reads the rest for cards not kept.
        return listings.published_in_order(ids, fields=cards.KEY_FIELDS)
    related = list(listings.related_stories(story, limit=limit))
    if (seconds := math.floor(lifetime())) >= 1:
        kept.set(key, ([card.pk for card in related], time.time() + seconds), timeout=seconds)
    return related
