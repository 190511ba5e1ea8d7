import secrets

from django.core.validators import URLValidator
from django.db import models


def new_secret():
    return secrets.token_hex(32)


class Webhook(models.Model):
    """Another system to tell when a story is published, updated, corrected or withdrawn."""

    class Event(models.TextChoices):
        PUBLISHED = "published", "Published"
        UPDATED = "updated", "Updated (significant update)"
        CORRECTED = "corrected", "Corrected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    name = models.CharField(max_length=120, help_text="Who receives it, e.g. Mobile app or Partner feed.")
    url = models.URLField(
        "endpoint URL",
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Where deliveries are POSTed, e.g. https://app.example.org/hooks/newsroom.",
    )
    secret = models.CharField(
        max_length=128,
        default=new_secret,
        help_text="Shared with the receiver, which checks each delivery's signature with it.",
    )
    on_published = models.BooleanField("published", default=True)
    on_updated = models.BooleanField("updated", default=True)
    on_corrected = models.BooleanField("corrected", default=True)
    on_withdrawn = models.BooleanField("withdrawn", default=True)
    active = models.BooleanField(
        default=True, help_text="Untick to pause deliveries without losing the settings."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @staticmethod
    def wanting(event):
        """Active webhooks subscribed to `event`."""
        return Webhook.objects.filter(active=True, **{f"on_{event}": True})


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook, with what the receiver answered."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Webhook.Event.choices)
    story_id = models.PositiveBigIntegerField(help_text="The story's id, kept if the story is deleted.")
    headline = models.CharField(max_length=200, blank=True)
    payload = models.TextField(editable=False, help_text="The JSON body, the same on every attempt.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField("response (start)", blank=True)
    error = models.TextField(blank=True, help_text="Why the last attempt failed, e.g. connection refused.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["story_id", "event"], name="delivery_story_event")]

    def __str__(self):
        return f"{self.get_event_display()} #{self.story_id} → {self.webhook}"


class PeriodicRun(models.Model):
    """When a periodic job last ran, so the next run picks up exactly where it stopped."""

    name = models.CharField(max_length=60, unique=True)
    last_run_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.last_run_at}"
