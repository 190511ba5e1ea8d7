"""Project-wide request handling: what shared caches may keep, and one log line per request."""

import logging
import time
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from .logging import request_context

# Staff areas, share links and previews. The Varnish VCL passes the same paths.
PRIVATE_PATH_PREFIXES = ("/admin/", "/photos/", "/accounts/", "/preview/")

request_logger = logging.getLogger("newsroom.request")


def is_private(request):
    """Whether the response is made for one person: a staff area, or anyone logged in."""
    if request.path.startswith(PRIVATE_PATH_PREFIXES):
        return True
    # Only a request with a session cookie can be logged in; checking costs queries otherwise.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


class PrivateResponseMiddleware:
    """`Cache-Control: private, no-store` on everything made for staff, whatever the view said.

    One rule for every staff response (admin, photo desk, previews, share links, public pages
    seen by a logged-in editor), so no shared cache ever stores a page made for someone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request) and not _private_already(response):
            add_never_cache_headers(response)
        return response


def _private_already(response):
    directives = {part.strip().split("=")[0].lower() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


class RequestLogMiddleware:
    """One log line per request with its id, user and timing; the id is on every line logged meanwhile.

    The id comes from the proxy's X-Request-ID header when there is one (nginx sets it), so
    a request can be followed from nginx through Varnish to this log; otherwise it is made
    here. It is sent back in the response's X-Request-ID header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _clean_id(request.headers.get("X-Request-ID")) or uuid.uuid4().hex
        started = time.monotonic()
        with request_context(request_id=request_id):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "user"):
                request_context.set(user_id=request.user.pk)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        response["X-Request-ID"] = request_id
        return response


def _clean_id(value):
    """A request id from outside, if it is a sane token (it ends up in logs and headers)."""
    if value and len(value) <= 200 and value.replace("-", "").replace("_", "").replace(".", "").isalnum():
        return value
    return None
