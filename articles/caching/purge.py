"""Telling the caches in front (Varnish, NEWSROOM_PURGE_URLS) which stored pages a change made stale.

One function decides the keys of a story change, `keys_to_purge`; the workflow, the admin,
the importer and the periodic jobs all call it through `purge_story_change`. The purge
itself is sent by a task after the transaction commits, so a cache that is down or slow
never fails or delays a save: the failure is logged, and the page renews on its own within
NEWSROOM_PUBLIC_CACHE_SECONDS.
"""

import datetime
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..models import Article, Byline, Photo
from . import generation
from . import keys as surrogate_keys

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 2  # seconds per request: Varnish answers a purge in about a millisecond
PURGE_ATTEMPTS = 3
KEYS_PER_REQUEST = 200  # keeps the request header well under Varnish's 8 KB line limit


@dataclass(frozen=True)
class StoryState:
    """What readers could see of a story at one moment, as far as caches are concerned."""

    public: bool
    keys: frozenset
    path: str
    featured: bool
    updated_for_readers: datetime.datetime | None


def story_state(article):
    """The story as stored now (not as edited in memory); None if it is not in the database.

    Take it before a change and pass it to `keys_to_purge` after: three small queries.
    """
    stored = Article.objects.filter(pk=article.pk).first() if article.pk else None
    if stored is None:
        return None
    keys = {
        surrogate_keys.article_key(stored.pk),
        surrogate_keys.section_key(stored.section_id),
        *(surrogate_keys.tag_key(pk) for pk in stored.tags.values_list("pk", flat=True)),
        *(
            surrogate_keys.contributor_key(pk)
            for pk in Byline.objects.filter(article=stored).values_list("contributor_id", flat=True)
        ),
    }
    if stored.lead_photo_id:
        keys.add(surrogate_keys.photo_key(stored.lead_photo_id))
    return StoryState(
        public=stored.is_public,
        keys=frozenset(keys),
        path=stored.get_absolute_url(),
        featured=stored.featured,
        updated_for_readers=stored.significantly_updated_at,
    )


def keys_to_purge(article, *, before=None, corrected=False):
    """The keys a change to `article` makes stale, given its `story_state` from before the change.

    `before=None` means readers could not see the story before (a new story, or one going
    live on its schedule). `corrected` means a correction was added, edited or removed.

    - Going live or stopping being live (publish, schedule reached, withdraw, back to draft,
      delete): the story's keys before and after, and every listing page (home, feeds,
      sitemaps, search, corrections).
    - An edit to a live story: the story's key, which every page showing it carries
      (its old address too, and the redirects to it), plus the section, tag, contributor
      and photo keys it gained or lost; the sitemaps when its address changed; feeds,
      sitemaps and search for a significant update; the home page when the lead flag moved.
    - A correction to a live story: its key, the corrections page and the feeds.
    - Nothing while the story is not live before or after (drafts, scheduled stories).
    """
    after = story_state(article)
    was_public = before is not None and before.public
    is_public = after is not None and after.public
    if not (was_public or is_public):
        return []
    old_keys = before.keys if was_public else frozenset()
    new_keys = after.keys if is_public else frozenset()
    if was_public != is_public:
        keys = old_keys | new_keys | set(surrogate_keys.LISTING_PAGES)
    else:
        keys = {surrogate_keys.article_key(article.pk)} | (old_keys ^ new_keys)
        if before.path != after.path:
            keys.add(surrogate_keys.SITEMAPS)
        if before.updated_for_readers != after.updated_for_readers:
            keys |= {surrogate_keys.FEEDS, surrogate_keys.SITEMAPS, surrogate_keys.SEARCH}
        if before.featured != after.featured:
            keys.add(surrogate_keys.HOME)
    if corrected:
        keys |= {surrogate_keys.CORRECTIONS, surrogate_keys.FEEDS}
    return sorted(keys)


def purge_story_change(*, article, before, corrected=False):
    """Purge what a change to `article` made stale (see `keys_to_purge`).

    The keys are worked out once the change commits, so bylines, tags and corrections saved
    after the story in the same transaction count too.
    """
    transaction.on_commit(
        lambda: purge(keys_to_purge(article, before=before, corrected=corrected)), robust=True
    )


def purge_correction(*, article):
    """A correction on `article` was added, edited or deleted."""
    return purge_story_change(article=article, before=story_state(article), corrected=True)


def purge_photo_change(*, photo):
    """Every page showing the photo: lead photos on cards, stories and feeds, headshots."""
    keys = [surrogate_keys.photo_key(photo.pk)]
    purge(keys)
    return keys


def purge_gallery_change(*, gallery):
    """Every page showing the gallery, in a body or as a lead gallery."""
    keys = [surrogate_keys.gallery_key(gallery.pk)]
    purge(keys)
    return keys


def purge(keys):
    """Send a purge of `keys` to every cache once the current transaction commits, and make
    the app's own copies of many-story pages stale (`generation`).

    Nothing is sent (and no task queued) without NEWSROOM_PURGE_URLS or keys.
    Never raises: a failure to queue is logged, and the save it follows stands.
    """
    keys = sorted(set(keys))
    if not keys:
        return
    transaction.on_commit(generation.advance, robust=True)
    if settings.NEWSROOM_PURGE_URLS:
        transaction.on_commit(lambda: _enqueue(keys), robust=True)


def _enqueue(keys):
    try:
        send_purge.enqueue(keys=keys)
    except Exception:
        logger.exception("Could not queue the cache purge of %s", " ".join(keys))


@task()
def send_purge(*, keys):
    """PURGE with an `xkey-purge` header to each cache, a few tries each; return objects removed."""
    removed = 0
    for url in settings.NEWSROOM_PURGE_URLS:
        for start in range(0, len(keys), KEYS_PER_REQUEST):
            removed += _purge_one(url, keys[start : start + KEYS_PER_REQUEST])
    return removed


def _purge_one(url, keys):
    request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
    for attempt in range(1, PURGE_ATTEMPTS + 1):
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as response:  # noqa: S310
                purged = response.headers.get("xkey-purged", "0")
                logger.info("Purged %s from %s: %s objects", " ".join(keys), url, purged)
                return int(purged) if purged.isdigit() else 0
        except urllib.error.HTTPError as refused:
            # 403: this machine is not in the VCL's purge ACL. Retrying cannot help.
            logger.error("Cache at %s refused the purge of %s: HTTP %s", url, " ".join(keys), refused.code)
            return 0
        except OSError as error:
            if attempt == PURGE_ATTEMPTS:
                logger.error("Could not purge %s from %s: %s", " ".join(keys), url, error)
                return 0
            time.sleep(0.2 * attempt)
    return 0


def purge_newly_live(*, since, now):
    """Purge the stories whose scheduled time fell in (since, now]: they just went live."""
    went_live = Article.objects.filter(
        status=Article.Status.PUBLISHED, publish_at__gt=since, publish_at__lte=now
    ).order_by("publish_at", "pk")
    keys = set()
    for article in went_live:
        keys.update(keys_to_purge(article, before=None))
    purge(keys)
    return sorted(keys)


def purge_expired_photo_rights(*, since, now):
    """Purge the photos whose usage rights ran out between `since` and `now` (at local midnight)."""
    first_day, today = timezone.localdate(since), timezone.localdate(now)
    if first_day >= today:
        return []
    # Rights last through `rights_expire_on`: the photo disappears the day after.
    expired = Photo.objects.filter(rights_expire_on__gte=first_day, rights_expire_on__lt=today)
    keys = [surrogate_keys.photo_key(pk) for pk in expired.values_list("pk", flat=True)]
    purge(keys)
    return keys
