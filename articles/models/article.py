import datetime
import secrets

import reversion
from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse_lazy
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from ..stories.sanitize import sanitize_body
from .article_queries import ArticleQuerySet
from .people import Byline
from .slugs import save_with_unique_slug
from .urls import remembered_reverse

HEADLINE_MAX_LENGTH = 160
SLUG_MAX_LENGTH = 120


class Section(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)
    description = models.TextField(blank=True, help_text="One or two sentences for the section page.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation, lowest first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return remembered_reverse("articles:section", slug=self.slug)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # PostgreSQL computes the stored search document (migration 0017) from headline, dek and
    # body, and refuses to alter their type or length while it exists: drop it first.
    headline = models.CharField(
        max_length=HEADLINE_MAX_LENGTH,
        help_text="Aim for 60–90 characters; search engines show about 110.",
    )
    slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the story's URL. Leave blank to make it from the headline.",
    )
    kicker = models.CharField(
        max_length=60, blank=True, help_text="Short label above the headline, e.g. Analysis."
    )
    dek = models.CharField(
        max_length=300,
        blank=True,
        help_text="One sentence that sums the story up, shown under the headline and in feeds.",
    )
    dateline = models.CharField(
        max_length=80,
        blank=True,
        help_text="Where the story was reported, e.g. WASHINGTON. Printed before the first paragraph.",
    )
    body = ProseEditorField(
        config={
            "extensions": {
                "Bold": True,
                "Italic": True,
                "Heading": {"levels": [2, 3, 4]},
                "BulletList": True,
                "OrderedList": True,
                "ListItem": True,
                "Blockquote": True,
                "Link": {"protocols": ["http", "https", "mailto"]},
                "HardBreak": True,
                "History": True,
                "HTML": True,
                # Library photos and galleries by reference (static/articles/admin/body-media.js).
                "LibraryMedia": {"autocompleteUrl": reverse_lazy("admin:autocomplete")},
            }
        },
        sanitize=sanitize_body,
        blank=True,
        help_text="Quotations, sub-headings and links are kept; anything else is cleaned on save.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(blank=True, help_text="Comma-separated, e.g. Transit, City budgets.")
    lead_photo = models.ForeignKey(
        "articles.Photo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for",
        # A photo the worker could not process (a damaged file) has nothing to show.
        limit_choices_to=~models.Q(status="failed"),
    )
    lead_photo_caption = models.TextField(
        "caption for this story",
        blank=True,
        help_text="Overrides the photo's library caption for this story only.",
    )
    lead_gallery = models.ForeignKey(
        "articles.Gallery",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for",
        help_text="Shown in the lead position, under the lead photo if there is one, "
        "e.g. for a picture story.",
    )

    featured = models.BooleanField(
        "home page lead",
        default=False,
        help_text="The newest published story with this ticked leads the home page.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the story goes live: a time in the future schedules it. "
        "Left empty, publishing means now.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Not public before this time, whatever the publish time, e.g. an agency's "
        "'not before 14:00 GMT'. Publishing earlier schedules the story for this time.",
    )
    expires_at = models.DateTimeField(
        "licence expires at",
        null=True,
        blank=True,
        help_text="When the right to use wire copy runs out: the story is withdrawn automatically then.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    significantly_updated_at = models.DateTimeField(
        "updated for readers at",
        null=True,
        blank=True,
        editable=False,
        help_text="The 'Updated' time readers see; moves only for significant changes.",
    )
    reader_modified_at = models.DateTimeField(
        "last changed for readers at",
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The publish time, a significant update or a correction, whichever is latest: "
        "the modified time in JSON-LD, sitemaps, feeds and the API.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Goes up on every save through the workflow (admin, importer, actions); "
        "a save from an older version is refused.",
    )

    seo_title = models.CharField(
        "SEO title", max_length=70, blank=True, help_text="Replaces the headline in search results."
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="Replaces the dek in search results.",
    )
    canonical_url = models.URLField(
        blank=True, help_text="For syndicated copy: the URL of the original story."
    )
    external_id = models.CharField(
        max_length=200, blank=True, editable=False, help_text="The wire service's document id."
    )
    preview_key = models.CharField(max_length=32, editable=False, default="")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        permissions = [
            ("publish_article", "Can publish, schedule and withdraw articles"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="article_unique_slug",
                violation_error_code="unique",  # shown on the slug field, not above the form
                violation_error_message="Another story already uses this slug. Change it, or leave "
                "it blank to make a new one from the headline.",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="article_unique_external_id",
                violation_error_message="Another story was already imported from this wire document.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message="A published story needs a publish time.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_status_publish"),
            # The newest stories of one section (home page blocks, section pages, related).
            models.Index(fields=["section", "status", "-publish_at", "-id"], name="article_section_newest"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        if not self.preview_key:
            self.preview_key = secrets.token_hex(16)
        if self.status == self.Status.PUBLISHED:
            self.publish_at = self.publish_at or timezone.now()
        if self.publish_at is not None:
            # Whole seconds: HTML <time datetime> allows at most three fraction digits.
            self.publish_at = self.publish_at.replace(microsecond=0)
        if self.is_published and self.is_embargoed and self.publish_at < self.embargo_until:
            # Publishing under embargo schedules the story for the embargo's end, never a moment before.
            end = self.embargo_until
            self.publish_at = end.replace(microsecond=0) + datetime.timedelta(seconds=bool(end.microsecond))
        # Set once: a scheduled story may be moved until it has gone live.
        if self.status == self.Status.PUBLISHED and (
            self.first_published_at is None or self.first_published_at > timezone.now()
        ):
            self.first_published_at = self.publish_at
        self.reader_modified_at = self.latest_change_for_readers()
        previous_url = self._public_url_in_database()
        if self.slug:
            super().save(*args, **kwargs)
        else:
            save_with_unique_slug(
                self,
                self.headline,
                max_length=SLUG_MAX_LENGTH,
                fallback="story",
                save=lambda: super(Article, self).save(*args, **kwargs),
            )
        if previous_url and previous_url != self.get_absolute_url():
            FormerURL.objects.update_or_create(path=previous_url, defaults={"article": self})
        if self.is_public:  # a live story answers at its own URL: no redirect may shadow it
            FormerURL.objects.filter(path=self.get_absolute_url()).delete()

    def get_absolute_url(self):
        local = timezone.localtime(self.publish_at or self.created_at or timezone.now())
        return remembered_reverse(
            "articles:detail",
            year=local.year,
            month=f"{local.month:02d}",
            day=f"{local.day:02d}",
            slug=self.slug,
        )

    def latest_change_for_readers(self):
        """The one definition of when readers last saw a change (stored as reader_modified_at):
        the publish time, the last significant update or the last correction."""
        corrections = self.corrections.aggregate(latest=Max("created_at"))["latest"] if self.pk else None
        moments = [self.publish_at, self.significantly_updated_at, corrections]
        return max((moment for moment in moments if moment is not None), default=None)

    def _public_url_in_database(self):
        """The URL readers knew this story by before this save, if it was live."""
        if self.pk is None:
            return None
        stored = Article.objects.filter(pk=self.pk).published().first()
        return stored.get_absolute_url() if stored else None

    # --- state -----------------------------------------------------------

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.publish_at is not None

    @property
    def is_scheduled(self):
        return self.is_published and self.publish_at > timezone.now()

    @property
    def is_public(self):
        return self.is_published and self.publish_at <= timezone.now() and not self.is_embargoed

    @property
    def is_embargoed(self):
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def status_label(self):
        return "Scheduled" if self.is_scheduled else self.get_status_display()

    # --- derived values --------------------------------------------------

    @property
    def lead_caption(self):
        if self.lead_photo_caption:
            return self.lead_photo_caption
        return self.lead_photo.caption if self.lead_photo else ""

    @property
    def public_lead_photo(self):
        """The lead photo unless its usage rights have run out."""
        photo = self.lead_photo
        return photo if photo is not None and photo.is_public else None

    def authors(self):
        """The story's authors in byline order: the "By" line, else those credited with reporting."""
        bylines = self.bylines.all()
        by = [byline.contributor for byline in bylines if byline.role == Byline.Role.BY]
        reporting = {Byline.Role.REPORTING, Byline.Role.ADDITIONAL_REPORTING}
        return by or [byline.contributor for byline in bylines if byline.role in reporting]

    def byline_groups(self):
        """Bylines grouped by role, in byline order: [(role label, [contributors])]."""
        groups = {}
        for byline in self.bylines.all():
            groups.setdefault(byline.role, []).append(byline.contributor)
        labels = dict(Byline.Role.choices)
        return [(labels[role], people) for role, people in groups.items()]


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor's note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="e.g. An earlier version of this story misstated the date.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on “{self.article}”"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_article()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_article()
        return result

    def _refresh_article(self):
        article = self.article
        article.reader_modified_at = article.latest_change_for_readers()
        Article.objects.filter(pk=article.pk).update(
            reader_modified_at=article.reader_modified_at, updated_at=timezone.now()
        )


class FormerURL(models.Model):
    """A path a published story used to answer at, kept so old links answer 301."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_urls")
    path = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "former URL"

    def __str__(self):
        return self.path


# Revisions follow the bylines; corrections are not followed, so a revert never deletes one.
# What a revert may not change (status, times, keys) is kept by workflow.keep_workflow_through_revert.
reversion.register(Byline)
reversion.register(Article, follow=["bylines"])
