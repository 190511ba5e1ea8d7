from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from .photo import originals_storage


class WireImport(models.Model):
    """A wire file uploaded in the admin, imported by the task worker; its page shows the result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    # Kept with the photo originals: wire photos carry the same camera data, never public.
    file = models.FileField(storage=originals_storage, upload_to="wire-imports/", max_length=255)
    filename = models.CharField(max_length=255, help_text="As uploaded, e.g. reuters-0412.zip.")
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="+")
    publish = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    summary = models.CharField(max_length=200, blank=True, help_text="e.g. 2 imported, 0 updated, 1 failed.")
    # [{"label", "outcome", "message", "article_id"}], one per story or bad file.
    results = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "wire import"

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("admin:articles_article_import_wire_result", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WireSubjectRule(models.Model):
    """Files wire stories with a subject code or keyword in a section, before the default rule
    (a subject named like a section) is tried."""

    subject = models.CharField(
        max_length=200,
        help_text="An IPTC Media Topic code, e.g. medtop:20000822, or a keyword or subject name the "
        "agency sends, e.g. baseball. Capitals do not matter.",
    )
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="wire_rules")

    class Meta:
        ordering = ["subject"]
        verbose_name = "wire subject rule"
        constraints = [
            models.UniqueConstraint(
                Lower("subject"),
                name="wire_subject_rule_unique_subject",
                violation_error_message="There is already a rule for this subject.",
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.section}"

    def save(self, *args, **kwargs):
        self.subject = self.subject.strip()
        super().save(*args, **kwargs)
