"""Bad input gets a 4xx, never a 5xx: hostile paths, query strings, headers and methods.

One table of requests across every public URL, the login form and the photo desk. Whatever
the request, the answer is below 500. Raw bytes the test client cannot send (invalid UTF-8,
NUL in the request line) go to a real server over a socket.
"""

import socket

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    UserFactory,
)

HUGE = "99999999999999999999"
LONG = "a" * 20_000


@pytest.fixture
def newsroom(db):
    """One live story with everything a page shows, and a photo on the desk."""
    photo = PhotoFactory()
    story = ArticleFactory(headline="Council approves plan", tags=["Transit"], lead_photo=photo)
    contributor = ContributorFactory(name="Amara Okafor")
    BylineFactory(article=story, contributor=contributor)
    CorrectionFactory(article=story)
    return {"story": story.get_absolute_url(), "people": contributor.slug, "photo": photo.pk}


def requests(n):
    """(who, method, path, extra) for each hostile request; `n` holds the newsroom's URLs."""
    story, people, photo = n["story"], n["people"], n["photo"]
    day = story.rsplit("/", 2)[0]
    return [
        # Paths: impossible dates, huge numbers, unknown and over-long slugs.
        ("reader", "get", "/9999/12/31/x/", {}),
        ("reader", "get", f"/{HUGE}/1/1/x/", {}),
        ("reader", "get", f"/2026/1/{HUGE}/x/", {}),
        ("reader", "get", f"/2026/{HUGE}/1/x/", {}),
        ("reader", "get", "/0/0/0/x/", {}),
        ("reader", "get", "/1/1/1/x/", {}),
        ("reader", "get", "/9999/12/31/x-y/", {}),
        ("reader", "get", "/2026/2/30/x/", {}),
        ("reader", "get", f"{day}/{LONG}/", {}),
        ("reader", "get", f"/section/{LONG}/", {}),
        ("reader", "get", "/section/no-such-section/", {}),
        ("reader", "get", "/people/%00/", {}),
        ("reader", "get", "/tag/%FF%FE/", {}),
        ("reader", "get", "/tag/%C3%28/", {}),
        ("reader", "get", "/feeds/section/no-such-section/", {}),
        ("reader", "get", f"/feeds/people/{LONG}/", {}),
        ("reader", "get", "/preview/shared/garbage/", {}),
        ("reader", "get", f"/preview/shared/{LONG}/", {}),
        ("reader", "get", f"/preview/{HUGE}/", {}),
        ("reader", "get", "/sitemap-nope.xml", {}),
        ("reader", "get", "/static/../../etc/passwd", {}),
        ("reader", "get", "/%2e%2e/%2e%2e/etc/passwd", {}),
        # Query strings.
        ("reader", "get", "/section/national/?page=abc", {}),
        ("reader", "get", f"/section/national/?page={HUGE}", {}),
        ("reader", "get", "/section/national/?page=-1", {}),
        ("reader", "get", "/section/national/?page=0", {}),
        ("reader", "get", "/section/national/?page=1e9", {}),
        ("reader", "get", f"/tag/transit/?page={HUGE}", {}),
        ("reader", "get", f"/people/{people}/?page=%00", {}),
        ("reader", "get", "/corrections/?page=last", {}),
        ("reader", "get", "/corrections/?page=%FF", {}),
        ("reader", "get", "/search/?q=%00", {}),
        ("reader", "get", "/search/?q=%00%00abc%00", {}),
        ("reader", "get", f"/search/?q={'word%20' * 5000}", {}),
        ("reader", "get", "/search/?q=%27%20OR%201%3D1%20--", {}),
        ("reader", "get", "/search/?q=!!!%26%26%26|||:*<->()", {}),
        ("reader", "get", "/search/?q=%FF%FE%FD", {}),
        ("reader", "get", "/search/?q=a&q=b&q[]=c", {}),
        ("reader", "get", f"/search/?q=council&page={HUGE}", {}),
        ("reader", "get", "/sitemap-articles.xml?p=abc", {}),
        ("reader", "get", f"/sitemap-articles.xml?p={HUGE}", {}),
        ("reader", "get", "/sitemap-articles.xml?p=-1", {}),
        ("reader", "get", "/feeds/latest/?format=%3Cscript%3E", {}),
        (
            "reader",
            "get",
            f"/?{'&'.join(f'k{i}=v' for i in range(900))}",
            {},
        ),
        # Headers.
        ("reader", "get", "/", {"HTTP_IF_NONE_MATCH": "garbage"}),
        ("reader", "get", story, {"HTTP_IF_NONE_MATCH": "*"}),
        ("reader", "get", story, {"HTTP_IF_NONE_MATCH": '"' + LONG + '"'}),
        ("reader", "get", story, {"HTTP_IF_NONE_MATCH": '"a", W/"b", , ,,"'}),
        ("reader", "get", "/", {"HTTP_IF_MODIFIED_SINCE": "garbage"}),
        ("reader", "get", story, {"HTTP_IF_MODIFIED_SINCE": "Thu, 01 Jan 99999 00:00:00 GMT"}),
        ("reader", "get", story, {"HTTP_IF_MODIFIED_SINCE": HUGE}),
        ("reader", "get", story, {"HTTP_IF_MODIFIED_SINCE": "Sun, 06 Nov 1994 08:49:37 GMT"}),
        ("reader", "get", story, {"HTTP_IF_UNMODIFIED_SINCE": "garbage"}),
        ("reader", "get", story, {"HTTP_IF_MATCH": "garbage"}),
        ("reader", "get", "/", {"HTTP_HOST": "evil.example"}),
        ("reader", "get", "/", {"HTTP_HOST": "a" * 300}),
        ("reader", "get", "/", {"HTTP_HOST": "127.0.0.1:99999999"}),
        ("reader", "get", "/", {"HTTP_HOST": "[::1"}),
        ("reader", "get", "/", {"HTTP_X_FORWARDED_PROTO": "javascript"}),
        ("reader", "get", "/", {"HTTP_X_FORWARDED_FOR": "not-an-ip, , 999.999.1.1"}),
        ("reader", "get", story, {"HTTP_RANGE": "bytes=999999-"}),
        ("reader", "get", "/", {"HTTP_ACCEPT_LANGUAGE": "xx-" * 2000}),
        ("reader", "get", "/", {"HTTP_ACCEPT_ENCODING": "gzip;q=abc, *;q=-1"}),
        ("reader", "get", "/", {"HTTP_COOKIE": "sessionid=garbage; csrftoken=%00"}),
        ("reader", "get", "/", {"HTTP_COOKIE": "sessionid=" + LONG}),
        # Methods and bodies.
        ("reader", "post", "/", {}),
        ("reader", "put", "/section/national/", {}),
        ("reader", "delete", story, {}),
        ("reader", "patch", "/search/?q=x", {}),
        ("reader", "options", "/", {}),
        ("reader", "trace", "/", {}),
        ("reader", "head", story, {}),
        ("reader", "post", "/feeds/latest/", {}),
        ("reader", "post", "/robots.txt", {}),
        ("reader", "post", "/search/", {"content_type": "multipart/form-data", "data": "x"}),
        ("reader", "post", "/accounts/login/", {"data": {"username": "a\x00b", "password": "x"}}),
        ("reader", "post", "/accounts/login/", {"data": {"username": LONG, "password": LONG}}),
        ("reader", "post", "/accounts/login/", {"content_type": "application/json", "data": "{bad"}),
        # The photo desk, signed in.
        ("desk", "get", "/photos/?q=%00", {}),
        ("desk", "get", f"/photos/?q={LONG}", {}),
        ("desk", "get", "/photos/?uploaded_by=abc", {}),
        ("desk", "get", f"/photos/?uploaded_by={HUGE}", {}),
        ("desk", "get", "/photos/?uploaded_from=99999-99-99&uploaded_to=0000-01-01", {}),
        ("desk", "get", "/photos/?uploaded_from=%00", {}),
        ("desk", "get", "/photos/?page=abc", {}),
        ("desk", "get", f"/photos/?page={HUGE}", {}),
        ("desk", "get", f"/photos/describe/?ids={HUGE}", {}),
        ("desk", "get", "/photos/describe/?ids=1,,,x,%00,-5", {}),
        ("desk", "get", f"/photos/{HUGE}/", {}),
        ("desk", "get", f"/photos/{HUGE}/original/", {}),
        ("desk", "get", f"/preview/{HUGE}/", {}),
        ("desk", "post", "/photos/upload/", {"data": {}}),
        (
            "desk",
            "post",
            "/photos/upload/",
            {"data": {"images": SimpleUploadedFile("x.jpg", b"not a jpeg", "image/jpeg")}},
        ),
        ("desk", "post", f"/photos/{photo}/", {"data": {"caption": "\x00", "credit": LONG}}),
        ("desk", "post", f"/photos/describe/?ids={photo}", {"data": {"form-TOTAL_FORMS": HUGE}}),
        ("desk", "post", f"/photos/describe/?ids={photo}", {"data": {"form-TOTAL_FORMS": "x"}}),
    ]


def test_no_hostile_request_gets_a_server_error(newsroom):
    photo_editor = UserFactory(username="pat", is_staff=True)
    photo_editor.groups.add(Group.objects.get(name="Photo editor"))
    clients = {"reader": Client(raise_request_exception=False), "desk": Client(raise_request_exception=False)}
    clients["desk"].force_login(photo_editor)
    table = requests(newsroom)
    assert len(table) >= 60
    failures = []
    for who, method, path, extra in table:
        extra = dict(extra)
        kwargs = {key: extra.pop(key) for key in ("data", "content_type") if key in extra}
        response = getattr(clients[who], method)(path, **kwargs, **extra)
        if response.status_code >= 500:
            failures.append((response.status_code, who, method, path[:80], list(extra)))
    assert failures == []


def test_the_article_date_overflows_are_404(client, newsroom):
    for path in ("/9999/12/31/x/", f"/{HUGE}/1/1/x/", f"/2026/1/{HUGE}/x/"):
        assert client.get(path).status_code == 404


RAW_REQUESTS = [
    b"GET /\xff\xfe/ HTTP/1.1",
    b"GET /section/\xc3\x28/ HTTP/1.1",
    b"GET /search/?q=\xff\xfe\xfd HTTP/1.1",
    b"GET /search/?q=%FF\xc3 HTTP/1.1",
    b"GET /tag/\xe2\x82/ HTTP/1.1",
    b"GET /people/%00/ HTTP/1.1",
    b"GET /search/?q=a\x00b HTTP/1.1",
    b"GET /9999/12/31/\xff/ HTTP/1.1",
    b"GET /photos/?q=\xff HTTP/1.1",
    b"GET /" + b"\xff" * 4000 + b"/ HTTP/1.1",
]


def raw_status(server_url, request_line, headers=b""):
    host, port = server_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers + b"\r\n")
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    status_line = reply.split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


@pytest.mark.django_db(transaction=True)
def test_raw_bytes_the_client_cannot_send_get_no_server_error(live_server, newsroom):
    statuses = {line[:40]: raw_status(live_server.url, line) for line in RAW_REQUESTS}
    statuses[b"Host: raw bytes"] = raw_status(live_server.url, b"GET / HTTP/1.1", b"X-Junk: \xff\xfe\r\n")
    assert all(status < 500 for status in statuses.values()), statuses
    # The server is still up and serving after all of it.
    assert raw_status(live_server.url, b"GET / HTTP/1.1") == 200
