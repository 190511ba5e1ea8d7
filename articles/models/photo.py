from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator


def originals_storage():
    return storages["originals"]


def at_least(renditions, width):
    """The narrowest of `renditions` (narrowest first) at least `width` wide, else the widest."""
    for rendition in renditions:
        if rendition.width >= width:
            return rendition
    return renditions[-1] if renditions else None


class PhotoQuerySet(models.QuerySet):
    def ready(self):
        """Photos whose master and renditions are all written: the only ones public pages show."""
        return self.filter(status=Photo.Status.READY)

    def pickable(self):
        """Photos a story may pick: any but those the worker could not process."""
        return self.exclude(status=Photo.Status.FAILED)

    def rights_expired(self):
        return self.filter(rights_expire_on__lt=timezone.localdate())

    def with_thumbnails(self):
        """Photos with only what square thumbnails need of their renditions, in one query."""
        squares = Rendition.objects.filter(square=True, format=Rendition.Format.JPEG)
        return self.prefetch_related(models.Prefetch("renditions", queryset=squares))


class Photo(models.Model):
    """A picture in the library.

    `image` is the public master: re-encoded by the photo pipeline with no
    metadata. `original` is the file as uploaded, kept for staff only. The upload
    request stores the original; a task writes the master and the renditions and
    then marks the photo ready (articles/photos/tasks.py).
    """

    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    image = models.ImageField(upload_to="photos/", width_field="width", height_field="height", max_length=255)
    original = models.FileField(
        storage=originals_storage, upload_to="", blank=True, max_length=255, editable=False
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    sha256 = models.CharField(
        "SHA-256", max_length=64, unique=True, editable=False, help_text="Of the uploaded file."
    )
    dhash = models.CharField(
        "perceptual hash",
        max_length=16,
        blank=True,
        db_index=True,
        editable=False,
        help_text="dHash of the picture, 16 hex digits, to find near-duplicates (see photos/similar.py).",
    )

    title = models.CharField(max_length=200, blank=True, help_text="Short name, e.g. IPTC ObjectName.")
    caption = models.TextField(
        blank=True, help_text="What the picture shows, in a sentence or two, for readers."
    )
    credit = models.CharField(
        max_length=200, blank=True, help_text="The line readers see, e.g. Jane Doe / Agency file."
    )
    photographer = models.CharField(max_length=120, blank=True, help_text="e.g. Jane Doe.")
    source = models.CharField(
        "source / agency", max_length=120, blank=True, help_text="e.g. Continental Press."
    )
    is_file_photo = models.BooleanField(
        "file photo", default=False, help_text="Taken earlier, not at the event in the story."
    )
    alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="Describes the picture for people who cannot see it, e.g. "
        "Firefighters carry hoses past a burning warehouse.",
    )
    copyright_notice = models.TextField("copyright / usage notes", blank=True)
    rights_expire_on = models.DateField(
        null=True, blank=True, help_text="After this day the photo is not shown on public pages."
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    focal_x = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Horizontal focal point, 0 (left) to 1 (right), for cropped renditions.",
    )
    focal_y = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Vertical focal point, 0 (top) to 1 (bottom).",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PROCESSING,
        editable=False,
        help_text="Processing until the master and every rendition are written; only ready photos "
        "appear on public pages.",
    )
    processing_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    processing_error = models.TextField(
        blank=True, editable=False, help_text="Why the last attempt to make the renditions failed."
    )
    requeued_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the periodic job queued the processing again because it had stalled "
        "(a worker that crashed); it does so once.",
    )
    original_filename = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The file's name as uploaded, e.g. DSC_0042.jpg.",
    )

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__isnull=True) | models.Q(focal_x__gte=0, focal_x__lte=1),
                name="photo_focal_x_in_unit_range",
                violation_error_message="The focal point's across value must be between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=models.Q(focal_y__isnull=True) | models.Q(focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_y_in_unit_range",
                violation_error_message="The focal point's down value must be between 0 and 1.",
            ),
        ]

    def __str__(self):
        label = self.title or Truncator(self.caption).chars(60) or f"Photo {self.pk}"
        return f"{label} — {self.credit}" if self.credit else label

    def get_absolute_url(self):
        return reverse("photos:detail", kwargs={"pk": self.pk})

    def rendition(self, width, *, square=False, format="jpeg"):
        """The narrowest rendition at least `width` wide, else the widest; None if none exists yet.

        Reads `self.renditions.all()`, so a page that prefetches renditions picks any number
        of them without a query per photo (prefetch only some kinds and only those are seen).
        """
        return at_least(self.renditions_of(format=format, square=square), width)

    def renditions_of(self, *, format="jpeg", square=False):
        """This photo's renditions of one kind, narrowest first."""
        found = [r for r in self.renditions.all() if r.format == format and r.square == square]
        return sorted(found, key=lambda rendition: rendition.width)

    @property
    def rights_have_expired(self):
        return self.rights_expire_on is not None and self.rights_expire_on < timezone.localdate()

    @property
    def is_ready(self):
        return self.status == self.Status.READY

    @property
    def is_public(self):
        # A photo still processing has no files to point at yet.
        return self.is_ready and not self.rights_have_expired


class Rendition(models.Model):
    """A resized copy of a photo's public master, made once and reused."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    file = models.ImageField(upload_to="renditions/", max_length=255)
    format = models.CharField(max_length=4, choices=Format.choices)
    square = models.BooleanField(default=False, help_text="Cropped to a square around the focal point.")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        # By the column, not the relation: "photo" would join every photo to sort by its
        # upload time, and PostgreSQL then hashes the whole library to prefetch a page's.
        ordering = ["photo_id", "square", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "width", "format", "square"],
                name="rendition_unique_per_photo",
                violation_error_message="This photo already has a rendition of this size and format.",
            )
        ]

    def __str__(self):
        return f"{self.photo_id} {self.width}w {self.format}{' square' if self.square else ''}"
