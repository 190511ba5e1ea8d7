"""Webhook retries through the real task worker: `manage.py db_worker` in a child process on the
test database, a real receiver on loopback that answers 500 and then 200, and the admin's list
of deliveries read as an editor reads it."""

import html
import re
import time

import pytest

from articles.models import Webhook
from articles.stories import workflow
from tests.factories import ArticleFactory
from tests.servers import task_worker
from tests.webhook_receiver import Receiver, verify_as_a_receiver_would

# The worker reads what this test commits: a real transaction, on a database file or PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)

FIRST_RETRY_SECONDS = 3  # small, but long enough to see the failed attempt in the admin first
WAIT_SECONDS = 60  # the worker starts in a second or two; a busy machine may take longer


def wait_for(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no {what} after {WAIT_SECONDS} s")


def delivery_rows(client):
    """The admin's list of webhook deliveries as the editor sees it: one list of cell texts a row."""
    page = client.get("/admin/articles/webhookdelivery/").content.decode()
    table = page[page.index('<table id="result_list"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def row_showing(client, status):
    rows = delivery_rows(client)
    return rows[0] if len(rows) == 1 and status in rows[0] else None


def test_worker_retries_a_failed_delivery_after_the_backoff_and_the_admin_shows_both_attempts(
    client, editor, settings
):
    settings.NEWSROOM_WEBHOOK_FIRST_RETRY_SECONDS = FIRST_RETRY_SECONDS
    story = ArticleFactory(draft=True, headline="Harbour bridge reopens")
    with (
        Receiver() as receiver,
        task_worker(settings, NEWSROOM_WEBHOOK_FIRST_RETRY_SECONDS=str(FIRST_RETRY_SECONDS)),
    ):
        receiver.answers = [500]
        webhook = Webhook.objects.create(name="Mobile app", url=receiver.url)
        workflow.publish_article(article=story, by=editor)

        # The first attempt fails: the editor sees it waiting for a retry, with the receiver's 500.
        failed = wait_for(lambda: row_showing(client, "Retrying"), "delivery retrying in the admin")
        assert len(receiver.received) == 1
        assert "Harbour bridge reopens" in " ".join(failed)
        assert failed[-2:] == ["1", "500"]  # attempts, response code

        # The worker sends it again once the backoff has passed, and the receiver takes it.
        delivered = wait_for(lambda: row_showing(client, "Delivered"), "delivery delivered in the admin")
        assert delivered[-2:] == ["2", "200"]

    assert len(receiver.received) == 2
    (first_headers, first_body), (second_headers, second_body) = receiver.received
    for headers, body in receiver.received:
        assert verify_as_a_receiver_would(webhook.secret, headers, body)
        assert headers["Newsroom-Event"] == "published"
    assert first_body == second_body
    assert first_headers["Newsroom-Delivery"] == second_headers["Newsroom-Delivery"]
    # Not before the backoff: the worker stamps the attempt a moment before the request reaches
    # the receiver, so allow that moment, and nothing more.
    waited = receiver.received_at[1] - receiver.received_at[0]
    assert waited >= FIRST_RETRY_SECONDS - 0.2, waited
