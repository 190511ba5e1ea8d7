"""A small HTTP client for the deploy test: exact Host and headers, no redirects followed, cookies kept."""

import http.client
import re
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.deploy.stack import TOTP_KEY

SITE = "news.example.org"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str
    body: bytes

    def header(self, name, default=""):
        return self.headers.get(name, default)

    @property
    def set_cookies(self):
        return self.headers.get_all("Set-Cookie") or []


def fetch(port, path, *, method="GET", headers=None, body=None, host=SITE, timeout=30):
    """One request to 127.0.0.1:`port` as nginx would pass it on (HTTPS already ended)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            method, path, body=body, headers={"Host": host, "X-Forwarded-Proto": "https", **(headers or {})}
        )
        response = connection.getresponse()
        raw = response.read()
        return Response(response.status, response.headers, raw.decode("utf-8", "replace"), raw)
    finally:
        connection.close()


def fetch_url(url, *, timeout=30):
    """GET an absolute http:// URL (the media bucket) with nothing but what a browser would send."""
    match = re.match(r"http://([^/:]+):(\d+)(/.*)", url)
    host, port, path = match.groups()
    return fetch(
        int(port), path, host=f"{host}:{port}", headers={"X-Forwarded-Proto": "http"}, timeout=timeout
    )


def csrf_token(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


class Browser:
    """Someone using one app server directly, with a cookie jar (staff bypass the cache anyway)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, *, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = fetch(self.port, path, method=method, body=body, headers=headers)
        for cookie in response.set_cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data, *, files=None, referer=None):
        """POST a form like a browser, CSRF token, Origin and Referer included."""
        token = self.cookies.get("csrftoken") or ""
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        fields.append(("csrfmiddlewaretoken", self._form_token or token))
        headers = {"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{referer or path}"}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        return self.request("POST", path, body=body, headers=headers)

    _form_token = None

    def open_form(self, path):
        """GET a form page and keep its CSRF token for the next POST."""
        response = self.get(path)
        assert response.status == 200, (path, response.status)
        self._form_token = csrf_token(response.text)
        return response

    def log_in(self, username, password):
        """Sign in as an editor does: password, then the code from the authenticator."""
        from django_otp.oath import TOTP

        self.open_form("/accounts/login/?next=/admin/")
        step = {"login_view-current_step": "auth", "auth-username": username, "auth-password": password}
        response = self.post("/accounts/login/?next=/admin/", step)
        assert response.status == 200 and "token-otp_token" in response.text, response.text[:500]
        self._form_token = csrf_token(response.text)
        code = f"{TOTP(bytes.fromhex(TOTP_KEY)).token():06d}"
        step = {"login_view-current_step": "token", "token-otp_token": code}
        response = self.post("/accounts/login/?next=/admin/", step)
        assert response.status == 302 and "sessionid" in self.cookies, response.text[:500]


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def wait_until(check, *, timeout, interval=0.05):
    """Call `check` until it returns something true; return (seconds taken, value). Raise after `timeout`."""
    started = time.monotonic()
    last = None
    while True:
        last = check()
        elapsed = time.monotonic() - started
        if last:
            return elapsed, last
        if elapsed > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(interval)
