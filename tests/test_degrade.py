"""Degrade, don't fail: a database or a Redis that is down costs readers a 503 or nothing."""

import contextlib
import http.client
import socket
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.stories import presence
from tests.factories import ArticleFactory, UserFactory
from tests.servers import free_port, production_server


def get(base, path):
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_database_on_a_closed_port_gives_readers_a_503_with_retry_after():
    closed = free_port()
    with production_server(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/newsroom") as base:
        for path in ("/", "/section/national/", "/2026/1/2/a-story/", "/search/?q=council", "/feeds/latest/"):
            status, headers, body = get(base, path)
            assert status == 503, (path, status)
            assert headers["Retry-After"] == "30" and headers["Cache-Control"] == "no-store"
            assert "Back in a moment" in body


@contextlib.contextmanager
def silent_listener():
    """Accepts connections and never says a word: a database host that hangs."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        server.close()


def test_a_hanging_database_is_given_up_on_within_the_connect_timeout():
    with (
        silent_listener() as port,
        production_server(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/newsroom", DATABASE_CONNECT_TIMEOUT="2"
        ) as base,
    ):
        started = time.monotonic()
        status, _headers, _body = get(base, "/")
        assert status == 503 and time.monotonic() - started < 10


@contextlib.contextmanager
def forwarder(listen_port, target_port):
    """A TCP relay from `listen_port` to PostgreSQL: starting it is the database coming back."""
    server = socket.create_server(("127.0.0.1", listen_port))
    stop = threading.Event()
    sockets = [server]

    def pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                client = server.accept()[0]
            except (TimeoutError, OSError):
                continue
            upstream = socket.create_connection(("127.0.0.1", target_port))
            sockets.extend([client, upstream])
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs the suite to run on PostgreSQL (DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_site_recovers_by_itself_when_the_database_returns():
    story = ArticleFactory(headline="Council reopens the harbour bridge")
    database = django_settings.DATABASES["default"]
    port = free_port()
    url = f"postgres://{database['USER']}@127.0.0.1:{port}/{database['NAME']}"
    with production_server(DATABASE_URL=url, CONN_MAX_AGE="0") as base:
        assert get(base, "/")[0] == 503
        with forwarder(port, int(database["PORT"] or 5432)):
            status, _headers, body = get(base, story.get_absolute_url())
            assert status == 200 and "Council reopens the harbour bridge" in body
            assert get(base, "/")[0] == 200
    wait_until_only_this_session_uses_the_database()


def wait_until_only_this_session_uses_the_database(seconds=10):
    """The server's connections end after it does; the test database is dropped after this test."""
    from django.db import connection

    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.2)


# --- Redis down ----------------------------------------------------------------------------------


@pytest.fixture
def unreachable_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",  # production's
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.django_db
def test_every_page_works_with_redis_down(client, unreachable_redis):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        cache.get("anything")  # the cache really is unreachable
    story = ArticleFactory(headline="Harbour bridge story", tags=["Bridges"])
    for path in ("/", story.get_absolute_url(), "/section/national/", "/tag/bridges/", "/search/?q=harbour"):
        assert client.get(path).status_code == 200, path
    editor = UserFactory(username="edith", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert form.status_code == 200 and "Harbour bridge story" in form.content.decode()
    assert client.get("/photos/").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_reader_pages_render_when_the_page_cache_is_on_and_redis_is_down(client, settings, unreachable_redis):
    # Production keeps pages, cards and the related-stories choice in Redis: all are shortcuts.
    settings.NEWSROOM_PAGE_CACHE = True
    story = ArticleFactory(headline="Harbour bridge story", tags=["Bridges"])
    ArticleFactory(headline="Bridge tolls rise", section=story.section, tags=["Bridges"])
    for path in ("/", story.get_absolute_url(), story.section.get_absolute_url(), "/tag/bridges/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Bridge tolls rise" in response.content.decode(), path


@pytest.mark.django_db
def test_after_a_cache_failure_pages_leave_the_cache_alone_for_a_while(client, settings, unreachable_redis):
    from unittest import mock

    from django.core.cache import cache

    settings.NEWSROOM_PAGE_CACHE = True
    story = ArticleFactory(headline="Harbour bridge story")
    assert client.get(story.get_absolute_url()).status_code == 200  # the first failure
    with (
        mock.patch.object(cache, "get_many", side_effect=ConnectionError) as get_many,
        mock.patch.object(cache, "get", side_effect=ConnectionError) as get,
    ):
        assert client.get(story.get_absolute_url(), QUERY_STRING="b=1").status_code == 200
    assert get_many.call_count == get.call_count == 0


@pytest.mark.django_db
def test_who_else_has_it_open_is_nobody_when_the_cache_is_down(unreachable_redis):
    story = ArticleFactory()
    editor = UserFactory(username="edith")
    assert presence.note_opened(story, editor) == []
