"""Webhooks: signed deliveries to a real HTTP receiver on loopback, retries, and silence for
stories readers cannot see."""

import datetime
import json
import socket

import pytest
from django.utils import timezone

from articles.models import Article, Webhook, WebhookDelivery
from articles.stories import workflow
from articles.stories.periodic import run_periodic_jobs
from articles.webhooks import signing
from articles.webhooks.delivery import MAX_ATTEMPTS, backoff
from tests.admin_forms import article_form_data
from tests.factories import ArticleFactory
from tests.webhook_receiver import Receiver, verify_as_a_receiver_would

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def webhook(receiver):
    return Webhook.objects.create(name="Mobile app", url=receiver.url)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a save queues for after its commit, as production does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_publishing_posts_the_signed_ninjs_story(receiver, webhook, commit):
    story = ArticleFactory(draft=True, headline="Ferry strike ends")
    with commit():
        workflow.publish_article(article=story, by=None)

    [(headers, body)] = receiver.received
    assert verify_as_a_receiver_would(webhook.secret, headers, body)
    assert signing.verify(secret=webhook.secret, body=body, header=headers["Newsroom-Signature"])
    assert not verify_as_a_receiver_would("another secret", headers, body)
    assert headers["Newsroom-Event"] == "published" and headers["Content-Type"] == "application/json"
    sent = json.loads(body)
    assert sent["event"] == "published"
    assert sent["story"]["id"] == story.pk and sent["story"]["headlines"][0]["value"] == "Ferry strike ends"
    assert sent["story"]["uri"].endswith(f"/api/v1/stories/{story.pk}")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("delivered", 200, 1)
    assert delivery.response_body == "ok" and sent["delivery"] == delivery.pk


def test_tampered_or_stale_signature_does_not_verify():
    body = b'{"event": "published"}'
    header = signing.sign(secret="s3cret", body=body)
    assert signing.verify(secret="s3cret", body=body, header=header)
    assert not signing.verify(secret="s3cret", body=body + b" ", header=header)
    stale = signing.sign(secret="s3cret", body=body, timestamp=int(timezone.now().timestamp()) - 3600)
    assert not signing.verify(secret="s3cret", body=body, header=stale)
    assert not signing.verify(secret="s3cret", body=body, header="garbage")


def test_failed_delivery_is_retried_with_backoff_until_it_succeeds(receiver, webhook, commit):
    receiver.answers = [500, 503]
    story = ArticleFactory(draft=True)
    with commit():
        workflow.publish_article(article=story, by=None)

    assert len(receiver.received) == 3
    bodies = {body for _headers, body in receiver.received}
    assert len(bodies) == 1  # the same story each time, freshly signed
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert [backoff(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]


def test_receiver_that_is_down_never_fails_the_save(webhook, commit):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    webhook.url = f"http://127.0.0.1:{closed_port}/"
    webhook.save()
    story = ArticleFactory(draft=True)
    with commit():
        workflow.publish_article(article=story, by=None)

    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == MAX_ATTEMPTS
    assert delivery.response_code is None and "refused" in delivery.error.lower()


@pytest.mark.parametrize("change", ["save draft", "submit for review", "schedule", "return to draft"])
def test_nothing_is_sent_for_stories_readers_cannot_see(receiver, webhook, commit, change):
    story = ArticleFactory(draft=True)
    with commit():
        if change == "save draft":
            story.headline = "Still a draft"
            story.save()
        elif change == "submit for review":
            workflow.submit_for_review(article=story, by=None)
        elif change == "schedule":
            workflow.publish_article(
                article=story, by=None, at=timezone.now() + datetime.timedelta(hours=2)
            )
        else:
            workflow.return_to_draft(article=story, by=None)
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_withdrawal_sends_only_the_story_id(receiver, webhook, commit):
    story = ArticleFactory(headline="Secret headline")
    with commit():
        workflow.withdraw_article(article=story, by=None)
    [(_headers, body)] = receiver.received
    sent = json.loads(body)
    assert sent["event"] == "withdrawn" and sent["story"]["id"] == story.pk
    assert "Secret headline" not in body.decode()


def test_webhook_gets_only_the_events_it_asked_for(receiver, webhook, commit):
    webhook.on_published = False
    webhook.save()
    story = ArticleFactory(draft=True)
    with commit():
        workflow.publish_article(article=story, by=None)
    with commit():
        workflow.withdraw_article(article=story, by=None)
    assert [json.loads(body)["event"] for _headers, body in receiver.received] == ["withdrawn"]


def test_admin_significant_update_and_new_correction_fire_their_events(
    client, editor, receiver, webhook, commit
):
    story = ArticleFactory()
    data = article_form_data(
        story,
        headline="Ferry strike ends after talks",
        significant_update="on",
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "The talks lasted two days, not three.",
            "corrections-0-created_at_0": timezone.localdate().isoformat(),
            "corrections-0-created_at_1": timezone.localtime().strftime("%H:%M:%S"),
        },
    )
    with commit():
        response = client.post(f"/admin/articles/article/{story.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    events = sorted(json.loads(body)["event"] for _headers, body in receiver.received)
    assert events == ["corrected", "updated"]


def test_typo_fix_in_admin_sends_nothing(client, editor, receiver, webhook, commit):
    story = ArticleFactory()
    with commit():
        response = client.post(
            f"/admin/articles/article/{story.pk}/change/", article_form_data(story, dek="Typo")
        )
    assert response.status_code == 302
    assert receiver.received == []


def test_scheduled_story_is_announced_once_when_its_time_comes(receiver, webhook, commit, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    run_periodic_jobs()
    scheduled = ArticleFactory(draft=True)
    with commit():
        workflow.publish_article(
            article=scheduled, by=None, at=timezone.now() + datetime.timedelta(minutes=10)
        )
        published_now = ArticleFactory(draft=True)
        workflow.publish_article(article=published_now, by=None)
    assert [json.loads(b)["story"]["id"] for _h, b in receiver.received] == [published_now.pk]

    time_machine.shift(datetime.timedelta(minutes=1))
    run_periodic_jobs()  # the story published at once is not announced again
    assert len(receiver.received) == 1
    time_machine.shift(datetime.timedelta(minutes=10))
    assert run_periodic_jobs()["announced"] == 1
    time_machine.shift(datetime.timedelta(minutes=1))
    run_periodic_jobs()
    assert [json.loads(b)["story"]["id"] for _h, b in receiver.received] == [published_now.pk, scheduled.pk]


def test_periodic_job_catches_up_after_downtime(receiver, webhook, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    run_periodic_jobs()
    story = ArticleFactory(publish_at=timezone.now() + datetime.timedelta(minutes=30))
    time_machine.shift(datetime.timedelta(hours=3))  # the timer was down
    run_periodic_jobs()
    assert [json.loads(b)["story"]["id"] for _h, b in receiver.received] == [story.pk]


def test_editors_manage_webhooks_and_read_deliveries_in_the_admin(client, editor, receiver, webhook, commit):
    with commit():
        workflow.publish_article(article=ArticleFactory(draft=True, headline="Ferry news"), by=None)
    deliveries = client.get("/admin/articles/webhookdelivery/")
    assert deliveries.status_code == 200 and b"Ferry news" in deliveries.content
    delivery = WebhookDelivery.objects.get()
    detail = client.get(f"/admin/articles/webhookdelivery/{delivery.pk}/change/")
    assert detail.status_code == 200 and b"Delivered" in detail.content
    response = client.post(
        "/admin/articles/webhook/add/",
        {
            "name": "Partner",
            "url": "https://partner.example.org/hook",
            "secret": "x" * 40,
            "on_published": "on",
        },
    )
    assert response.status_code == 302
    assert Webhook.objects.get(name="Partner").on_updated is False
    bad = client.post(
        "/admin/articles/webhook/add/", {"name": "Bad", "url": "ftp://example.org/", "secret": "x"}
    )
    assert bad.status_code == 200 and not Webhook.objects.filter(name="Bad").exists()
