from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .article import Article

LEAD_STORIES = 1
TOP_STORIES = 4
MORE_STORIES = 6
STORIES_PER_SECTION = 4


def published_stories():
    """Which stories the front page editor may place: the one visibility rule, as a filter."""
    return Q(pk__in=Article.objects.published().values("pk"))


class FrontPageQuerySet(models.QuerySet):
    def eligible(self, now=None):
        """Layouts that may be on the home page at `now`: scheduled or live, their time come."""
        now = now or timezone.now()
        statuses = [FrontPage.Status.SCHEDULED, FrontPage.Status.LIVE]
        return self.filter(status__in=statuses, go_live_at__lte=now)

    def current(self, now=None):
        """The layout on the home page at `now`: the newest whose time has come, or None."""
        return self.eligible(now).order_by("-go_live_at", "-id").first()


class FrontPage(models.Model):
    """A front page layout: the stories editors placed in each zone of the home page."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        ARCHIVED = "archived", "Archived"

    name = models.CharField(max_length=120, help_text="For the desk, e.g. Election night, or Monday 06:00.")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts never show. A scheduled layout goes live at its time; Live and Archived are set "
        "by the newsroom when that happens.",
    )
    go_live_at = models.DateTimeField(
        "goes live at",
        null=True,
        blank=True,
        help_text="When a scheduled layout replaces the one on the home page. Empty or past means now.",
    )
    manual_sections = models.ManyToManyField(
        "articles.Section",
        blank=True,
        related_name="+",
        verbose_name="manual section blocks",
        help_text="These section blocks show only the stories placed in them. Other blocks fill their "
        "empty places with the section's newest stories.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrontPageQuerySet.as_manager()

    class Meta:
        ordering = ["-go_live_at", "-id"]
        verbose_name = "front page layout"
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(go_live_at__isnull=False),
                name="front_page_scheduled_has_time",
                violation_error_message="A scheduled layout needs the time it goes live.",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.status in (self.Status.SCHEDULED, self.Status.LIVE) and self.go_live_at is None:
            self.go_live_at = timezone.now()


class Placement(models.Model):
    """A story placed in one zone of a layout, at a position."""

    class Zone(models.TextChoices):
        LEAD = "lead", "Lead"
        TOP = "top", "Top stories"
        MORE = "more", "More rail"
        SECTION = "section", "Section block"

    front_page = models.ForeignKey(FrontPage, on_delete=models.CASCADE, related_name="placements")
    zone = models.CharField(max_length=8, choices=Zone.choices)
    section = models.ForeignKey(
        "articles.Section",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The section block this story sits in.",
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=published_stories,
        verbose_name="story",
        help_text="Only published stories can be placed.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the zone, lowest first.")

    class Meta:
        ordering = ["zone", "section", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["front_page", "article"],
                name="placement_story_once_per_layout",
                violation_error_message="This story is already placed on this layout.",
            ),
            models.CheckConstraint(
                condition=Q(zone="section", section__isnull=False)
                | (~Q(zone="section") & Q(section__isnull=True)),
                name="placement_section_only_in_section_blocks",
                violation_error_message="Pick the section block for this story.",
            ),
        ]

    def __str__(self):
        return f"{self.get_zone_display()} {self.position}: {self.article_id}"

    def clean(self):
        if self.zone == self.Zone.SECTION and self.section_id is None:
            raise ValidationError({"section": "Pick the section block for this story."})
        if self.zone != self.Zone.SECTION:
            self.section = None
