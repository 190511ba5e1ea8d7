"""What the home page shows: the layout editors placed, filled out by the automatic rule.

The automatic rule, all a fresh install needs: the newest story marked "home page lead" leads
(else the newest story), the next newest are the top stories, then the newest of each section.
Placed stories take their zone's places first; every place left empty is filled by the rule,
except in the "more" rail and in section blocks switched to manual, which show only what was
placed. Placed stories pass through `Article.objects.published()` on every request, so one that
is withdrawn, unpublished or embargoed leaves the page at once.

Which layout is on the page is decided by time alone (`FrontPage.objects.current`): the newest
scheduled or live layout whose time has come. That is exact to the second and needs no job to
run; `switch_front_pages`, run every minute, only records the change (Live, Archived) and purges
the cached home page.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..caching import keys, purge
from ..models import Article, FrontPage, Placement, Section
from ..models.article_queries import prefetch_cards
from ..models.frontpage import MORE_STORIES, STORIES_PER_SECTION, TOP_STORIES
from .listings import newest_per_section

logger = logging.getLogger(__name__)


@dataclass
class HomePage:
    lead: Article | None = None
    top_stories: list = field(default_factory=list)
    more: list = field(default_factory=list)
    section_blocks: list = field(default_factory=list)  # [(section, [stories])], in section order
    layout: FrontPage | None = None

    def context(self):
        return {
            "lead": self.lead,
            "top_stories": self.top_stories,
            "more_stories": self.more,
            "section_blocks": self.section_blocks,
            "front_page": self.layout,
        }


def home_page(*, now=None, layout=None, sections=None):
    """The home page at `now`, or as `layout` would show it (a preview), in a constant number of
    queries however many stories are placed or filled in. `sections`: the navigation's, when
    the caller has them already."""
    if sections is None:
        sections = list(Section.objects.all())
    if layout is None:
        layout = FrontPage.objects.current(now)
    placed, manual = _placed(layout)
    lead = next(iter(placed[Placement.Zone.LEAD]), None)
    top_stories = placed[Placement.Zone.TOP][:TOP_STORIES]
    more = placed[Placement.Zone.MORE][:MORE_STORIES]
    taken = {story.pk for stories in placed.values() for story in stories}

    automatic = Article.objects.published().cards(prefetch=False).exclude(pk__in=taken)
    # Asked even when a lead is placed, so the page's queries do not depend on what is placed.
    featured = automatic.filter(featured=True).first()
    lead = lead or featured
    newest = list(automatic.exclude(pk__in=[lead.pk] if lead else [])[: TOP_STORIES + 1])
    if lead is None and newest:
        lead = newest.pop(0)
    top_stories += newest[: TOP_STORIES - len(top_stories)]
    if lead is None and top_stories:
        # Every published story is placed elsewhere: the first top story leads rather than none.
        lead = top_stories.pop(0)

    shown = [story for story in (lead, *top_stories, *more) if story is not None]
    blocks = {}
    for story in placed[Placement.Zone.SECTION]:
        blocks.setdefault(story.placed_in, []).append(story)
    filled = newest_per_section(
        [section for section in sections if section.pk not in manual],
        per_section=STORIES_PER_SECTION,
        exclude=[story.pk for story in shown] + list(taken),
    )
    for story in filled:
        block = blocks.setdefault(story.section, [])
        if len(block) < STORIES_PER_SECTION:
            block.append(story)
    section_blocks = sorted(
        ((section, stories[:STORIES_PER_SECTION]) for section, stories in blocks.items()),
        key=lambda block: (block[0].position, block[0].name),
    )
    prefetch_cards(shown + [story for _section, stories in section_blocks for story in stories])
    return HomePage(lead, top_stories, more, section_blocks, layout)


def _placed(layout):
    """The layout's placed stories by zone, in order, and the ids of its manual section blocks."""
    placed = {zone: [] for zone in Placement.Zone.values}
    if layout is None:
        return placed, set()
    placements = (
        Placement.objects.filter(front_page=layout, article__in=Article.objects.published().values("pk"))
        .select_related("section", *(f"article__{name}" for name in ("section", "lead_photo")))
        .order_by("position", "id")
    )
    for placement in placements:
        story = placement.article
        story.placed_in = placement.section  # the block it sits in, whatever its own section
        placed[placement.zone].append(story)
    manual = set(layout.manual_sections.values_list("pk", flat=True))
    return placed, manual


# --- layouts going live --------------------------------------------------------------------


def switch_front_pages(*, now=None):
    """Record that the layout whose time has come is live and the one before it archived, and
    purge the home page; returns the layout that went live, or None when nothing changed."""
    now = now or timezone.now()
    with transaction.atomic():
        current = FrontPage.objects.select_for_update().current(now)
        if current is None or current.status == FrontPage.Status.LIVE:
            return None
        FrontPage.objects.filter(status=FrontPage.Status.LIVE).update(status=FrontPage.Status.ARCHIVED)
        # Scheduled layouts overtaken by a newer one never showed, and never will.
        FrontPage.objects.eligible(now).exclude(pk=current.pk).update(status=FrontPage.Status.ARCHIVED)
        current.status = FrontPage.Status.LIVE
        current.save(update_fields=["status", "updated_at"])
        # Purged once the change is committed, so a request between cannot cache the old page.
        transaction.on_commit(partial(layout_went_live, current))
    return current


def record_layout_saved(*, layout, now=None):
    """After an editor saves `layout`: it goes live if its time has come, and if it is the one
    on the home page already, the page is purged so the change shows at once."""
    if switch_front_pages(now=now) is None and layout == FrontPage.objects.current(now):
        transaction.on_commit(partial(layout_went_live, layout))


def restore_layout(*, layout, by, now=None):
    """Put a copy of an earlier layout on the home page now; the earlier one stays as it was."""
    now = now or timezone.now()
    with transaction.atomic():
        copy = FrontPage.objects.create(
            name=f"{layout.name} (again)",
            status=FrontPage.Status.SCHEDULED,
            go_live_at=now,
            created_by=by,
        )
        copy.manual_sections.set(layout.manual_sections.all())
        Placement.objects.bulk_create(
            Placement(
                front_page=copy,
                zone=placement.zone,
                section_id=placement.section_id,
                article_id=placement.article_id,
                position=placement.position,
            )
            for placement in layout.placements.all()
        )
    switch_front_pages(now=now)
    return copy


def layout_went_live(layout):
    """Called once each time a layout goes live, and when the live layout is edited: the home
    page's cached copies go."""
    logger.info("Front page layout %s (“%s”) is live", layout.pk, layout)
    purge.purge([keys.HOME])
