"""Webhooks on the editors' desk: who gets told about which story events, and what they answered."""

from django.contrib import admin, messages
from django.utils.html import format_html

from ..models import Webhook, WebhookDelivery
from ..webhooks.delivery import send_delivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "events", "active"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    fieldsets = [
        (None, {"fields": ["name", "url", "active"]}),
        (
            "Events",
            {
                "fields": ["on_published", "on_updated", "on_corrected", "on_withdrawn"],
                "description": "Which story events this receiver is sent.",
            },
        ),
        (
            "Signing",
            {
                "fields": ["secret"],
                "description": "Give this to the receiver's developers: each delivery is signed with it "
                "(see docs/api.md). Change it if it leaks; deliveries from then on use the new one.",
            },
        ),
    ]

    @admin.display(description="Events")
    def events(self, webhook):
        return (
            ", ".join(label for value, label in Webhook.Event.choices if getattr(webhook, f"on_{value}"))
            or "none"
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "webhook", "event", "story", "status", "attempts", "response_code"]
    list_filter = ["status", "event", "webhook"]
    list_select_related = ["webhook"]
    search_fields = ["headline", "=story_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "webhook",
        "event",
        "story_id",
        "headline",
        "status",
        "attempts",
        "response_code",
        "response_body",
        "error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Story", ordering="story_id")
    def story(self, delivery):
        return format_html("#{} {}", delivery.story_id, delivery.headline)

    def has_resend_permission(self, request):
        return request.user.has_perm("articles.change_webhook")

    @admin.action(description="Send again", permissions=["resend"])
    def send_again(self, request, queryset):
        count = 0
        for delivery in queryset:
            delivery.status = WebhookDelivery.Status.PENDING
            delivery.attempts = 0
            delivery.save(update_fields=["status", "attempts"])
            send_delivery.enqueue(delivery.pk)
            count += 1
        self.message_user(
            request, f"Queued {count} deliver{'y' if count == 1 else 'ies'} again.", messages.SUCCESS
        )
