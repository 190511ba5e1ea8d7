"""Sending one delivery, in the task worker, with retries and exponential backoff.

django-tasks has no automatic retry: a failed attempt re-enqueues the task itself with
`run_after` and the delivery row counts the attempts. Every outcome is written on the
delivery for editors to read in the admin; nothing here raises to the worker.
"""

import datetime
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from ..models import WebhookDelivery
from . import signing

MAX_ATTEMPTS = 6  # then the delivery is marked failed: about half an hour of retries in all
TIMEOUT_SECONDS = 10
RESPONSE_EXCERPT = 1000
USER_AGENT = "Newsroom-Webhooks/1"
FINISHED = {WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirected POST would turn into a GET without the body: report it as a failure instead.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def backoff(attempts):
    """How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, 4 min, 8 min
    by default (NEWSROOM_WEBHOOK_FIRST_RETRY_SECONDS sets the first wait)."""
    first = settings.NEWSROOM_WEBHOOK_FIRST_RETRY_SECONDS
    return datetime.timedelta(seconds=first * 2 ** (attempts - 1))


@task()
def send_delivery(delivery_id):
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status in {
        WebhookDelivery.Status.DELIVERED,
        WebhookDelivery.Status.FAILED,
    }:
        return None
    attempt(delivery)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        retry = send_delivery
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=delivery.next_attempt_at)
        retry.enqueue(delivery.pk)
    return delivery.status


def attempt(delivery):
    """POST the delivery once and record the answer on it."""
    body = delivery.payload.encode()
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Newsroom-Event": delivery.event,
            "Newsroom-Delivery": str(delivery.pk),
            signing.HEADER: signing.sign(secret=delivery.webhook.secret, body=body),
        },
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    code, answer, error = None, b"", ""
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            code, answer = response.status, response.read(RESPONSE_EXCERPT)
    except urllib.error.HTTPError as failure:
        code, answer, error = failure.code, failure.read(RESPONSE_EXCERPT), f"HTTP {failure.code}"
    except (OSError, ValueError) as failure:  # refused, timed out, bad address, TLS
        error = str(getattr(failure, "reason", failure)) or failure.__class__.__name__
    delivery.response_code = code
    delivery.response_body = answer.decode("utf-8", "replace")
    delivery.error = error
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = delivery.last_attempt_at
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = delivery.last_attempt_at + backoff(delivery.attempts)
    delivery.save()
    return delivery
