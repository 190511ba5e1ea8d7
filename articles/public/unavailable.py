"""When the database is down, readers get a short 503 page instead of an error.

The page is a plain template rendered without a request, so no context processor (the
navigation's sections) and no template tag reaches for the database or the static manifest.
Nothing is remembered between requests: the first request after the database returns is
served as usual.
"""

import logging
import re
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

from ..security.csp import source_hash

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable_response():
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Shared caches must not keep the outage page in place of the real one.
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a failed database connection in a view or its template into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return unavailable_response()
        return None


def server_error(request):
    """handler500: an error raised in a middleware, outside any view, may be an outage too."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return unavailable_response()
    html = loader.render_to_string("500.html")
    response = HttpResponseServerError(html)
    # The page carries its own small stylesheet (no static files, which may be what failed);
    # the Content-Security-Policy lets exactly that stylesheet apply.
    styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    response._csp_update = {"style-src": [source_hash(style) for style in styles]}
    return response
