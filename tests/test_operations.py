"""Running several app servers: shared cache and sessions, the health checks, request logs."""

import datetime
import io
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pythonjsonlogger.json import JsonFormatter

from articles.caching.purge import send_purge
from newsroom.logging import RequestContextFilter, request_context
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def settings_in_a_new_process(**env):
    """Import the settings the way a server would (not under pytest); return (exit code, output)."""
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE]))"
    )
    ours = {"REDIS_URL", "NEWSROOM_SINGLE_PROCESS", "DEBUG", "NEWSROOM_TESTING"}
    base = {k: v for k, v in os.environ.items() if k not in ours}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "SECRET_KEY": "x" * 50, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout + result.stderr


def test_production_refuses_the_per_process_cache_with_a_reason():
    code, output = settings_in_a_new_process(DEBUG="0")
    assert code != 0
    assert "REDIS_URL is not set" in output and "NEWSROOM_SINGLE_PROCESS=1" in output


def test_a_single_process_site_may_keep_the_per_process_cache():
    code, output = settings_in_a_new_process(DEBUG="0", NEWSROOM_SINGLE_PROCESS="1")
    assert code == 0, output
    assert "LocMemCache" in output


def test_redis_url_gives_a_shared_cache_and_cached_db_sessions():
    code, output = settings_in_a_new_process(DEBUG="0", REDIS_URL="redis://127.0.0.1:6379/5")
    assert code == 0, output
    assert json.loads(output) == ["newsroom.cache.RedisCache", "django.contrib.sessions.backends.cached_db"]


def test_the_redis_cache_reuses_one_client_and_works_against_redis():
    from redis.exceptions import ConnectionError as RedisConnectionError

    from newsroom.cache import RedisCache

    cache = RedisCache("redis://127.0.0.1:6379/6", {"KEY_PREFIX": "reuse-test"})
    try:
        cache._cache.get_client().ping()
    except RedisConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set_many({"a": [1, "two"], "b": {"three": 3}}, timeout=30)
    assert cache.get_many(["a", "b", "missing"]) == {"a": [1, "two"], "b": {"three": 3}}
    assert cache.add("counter", 1) and cache.incr("counter") == 2
    cache.delete_many(["a", "b", "counter"])
    assert cache.get("a") is None


def test_development_needs_no_redis():
    code, output = settings_in_a_new_process(DEBUG="1")
    assert code == 0, output


# --- health ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_reports_every_check_as_json_and_is_never_cached(client):
    response = client.get("/health/?format=json", HTTP_HOST="localhost")
    assert response.status_code == 200
    results = response.json()
    assert set(results.values()) == {"OK"}
    names = " ".join(results)
    for check in (
        "Database",
        "Cache",
        "Storage(alias='default')",
        "Storage(alias='originals')",
        "TaskBacklog",
    ):
        assert check in names
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_load_balancer_check_is_database_and_cache_only(client):
    response = client.get("/health/app/?format=json", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert [name.split("(")[0] for name in response.json()] == ["Database", "Cache"]
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def task_queue(settings):
    """The real database queue, with no worker running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def get_in_a_new_thread(client, url):
    """The health view is async; Playwright's browser tests leave an event loop in this thread."""
    responses = []
    thread = threading.Thread(target=lambda: responses.append(client.get(url)))
    thread.start()
    thread.join()
    return responses[0]


@pytest.mark.django_db(transaction=True)  # the checks run in threads, on their own connections
def test_stale_task_backlog_fails_health_but_not_the_load_balancer_check(client, task_queue, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    send_purge.enqueue(keys=["home"])
    assert get_in_a_new_thread(client, "/health/?format=json").status_code == 200  # just queued: fine
    time_machine.shift(datetime.timedelta(minutes=6))
    response = get_in_a_new_thread(client, "/health/?format=json")
    assert response.status_code == 500
    backlog = next(value for name, value in response.json().items() if name.startswith("TaskBacklog"))
    assert "queued 6 minutes ago" in backlog
    assert get_in_a_new_thread(client, "/health/app/?format=json").status_code == 200


@pytest.mark.django_db
def test_health_page_without_a_format_is_html(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


# --- request logs ------------------------------------------------------------------------


@pytest.fixture
def json_log():
    """What the production log handler writes, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RequestContextFilter())
    loggers = [logging.getLogger(name) for name in ("newsroom.request", "django.request", "articles")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def request_lines(lines):
    return [line for line in lines if line["name"] == "newsroom.request"]


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_id_status_and_timing(client, json_log):
    response = client.get("/", HTTP_X_REQUEST_ID="req-from-nginx-1")
    assert response["X-Request-ID"] == "req-from-nginx-1"
    (line,) = request_lines(json_log())
    assert line["request_id"] == "req-from-nginx-1"
    assert line["method"] == "GET" and line["path"] == "/" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["levelname"] == "INFO"


@pytest.mark.django_db
def test_request_without_an_id_gets_a_new_one(client, json_log):
    first, second = client.get("/"), client.get("/")
    ids = [line["request_id"] for line in request_lines(json_log())]
    assert ids == [first["X-Request-ID"], second["X-Request-ID"]]
    assert len(set(ids)) == 2 and all(len(request_id) == 32 for request_id in ids)


@pytest.mark.django_db
def test_a_hostile_request_id_is_replaced(client, json_log):
    response = client.get("/", HTTP_X_REQUEST_ID='x" \n{"admin": true}')
    assert response.status_code == 200
    assert response["X-Request-ID"].isalnum()
    (line,) = request_lines(json_log())
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_request_line_names_the_logged_in_user(client, json_log):
    editor = UserFactory(username="edith", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    client.get("/admin/")
    (line,) = request_lines(json_log())
    assert line["user_id"] == editor.pk


def test_lines_logged_while_answering_a_request_carry_its_id(json_log):
    with request_context(request_id="req-7", user_id=3):
        logging.getLogger("articles.caching.purge").error("Could not purge home")
    logging.getLogger("articles.caching.purge").error("Could not purge feeds")
    inside, outside = json_log()
    assert (inside["request_id"], inside["user_id"]) == ("req-7", 3)
    assert "request_id" not in outside and "user_id" not in outside
