"""Which event a change is, and queueing its deliveries once the change is committed."""

import json
import logging
from functools import partial

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from ..models import Article, Webhook, WebhookDelivery
from ..stories.ninjs import story_queryset, story_to_ninjs, story_uri

logger = logging.getLogger(__name__)
Event = Webhook.Event


def event_for_change(article, *, was_public, significant=False):
    """The event a save of `article` means for readers, or None.

    `was_public` is whether readers could see the story before the save; a story that was
    scheduled (or embargoed) and has not gone live yet is announced by the periodic job.
    """
    is_public = Article.objects.published().filter(pk=article.pk).exists()
    if is_public and not was_public:
        return Event.PUBLISHED
    if was_public and not is_public:
        return Event.WITHDRAWN
    if is_public and significant:
        return Event.UPDATED
    return None


def notify_story_changed(*, article, event):
    """Queue `event` for `article` to every active webhook that wants it, after the save commits.

    Nothing is sent for a story readers cannot see (draft, in review, scheduled, embargoed),
    except "withdrawn" for one they could. Errors are logged, never raised into the save.
    """
    if event is None:
        return
    transaction.on_commit(partial(_queue_safely, article.pk, event), robust=True)


def _queue_safely(article_id, event):
    try:
        queue_deliveries(article_id=article_id, event=event)
    except Exception:
        logger.exception("Could not queue %s webhooks for story %s", event, article_id)


def queue_deliveries(*, article_id, event, skip_announced=False):
    """Create and enqueue the deliveries of `event`; returns them.

    `skip_announced` leaves out webhooks already told this story was published since it went
    live: the periodic job uses it so a story published at once is not announced twice.
    """
    from .delivery import send_delivery

    webhooks = list(Webhook.wanting(event))
    if not webhooks:
        return []
    if event == Event.WITHDRAWN:
        article = Article.objects.filter(pk=article_id).exclude(pk__in=Article.objects.published()).first()
        payload = {"id": article_id, "uri": story_uri(settings.NEWSROOM_SITE_URL, article_id)}
    else:
        article = story_queryset().filter(pk=article_id).first()
        payload = story_to_ninjs(article, base_url=settings.NEWSROOM_SITE_URL) if article else None
    if article is None:
        return []
    if skip_announced:
        told = WebhookDelivery.objects.filter(
            story_id=article_id, event=Event.PUBLISHED, created_at__gte=article.publish_at
        ).values_list("webhook_id", flat=True)
        webhooks = [webhook for webhook in webhooks if webhook.pk not in set(told)]
    deliveries = []
    for webhook in webhooks:
        delivery = WebhookDelivery.objects.create(
            webhook=webhook, event=event, story_id=article_id, headline=article.headline[:200]
        )
        body = {"event": event, "delivery": delivery.pk, "sent_for": timezone.now(), "story": payload}
        delivery.payload = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False)
        delivery.save(update_fields=["payload"])
        deliveries.append(delivery)
    for delivery in deliveries:
        send_delivery.enqueue(delivery.pk)
    return deliveries
