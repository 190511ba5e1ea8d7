"""Content-Security-Policy: the site-wide policy is in settings; this module holds what varies.

Public pages get the strict policy as it is: scripts and styles only from the site's own
static files, images only from the site and the media host. The staff areas use Bootstrap
and Django's admin, whose stylesheets draw icons as `data:` images, and the story editor
needs its import map; those areas get exactly these additions and nothing 'unsafe-inline'.
"""

import base64
import functools
import hashlib
import json
import logging
import re

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

REPORT_MAX_BYTES = 16 * 1024


def source_hash(text):
    """A CSP source naming exactly this inline script or stylesheet."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


@functools.cache
def story_editor_import_map_hash():
    """The hash that lets the story editor's import map run, and nothing else inline.

    django-prose-editor loads its modules through an inline `<script type="importmap">`,
    which browsers treat as a script. Its content is fixed for a deployment (static file
    URLs), so the policy names that exact content.
    """
    from django_prose_editor.widgets import importmap

    return source_hash(re.fullmatch(r"<script[^>]*>(.*)</script>", str(importmap.render()), re.DOTALL)[1])


# The base stylesheet Tiptap (inside django-prose-editor 0.28) adds to the page as a <style>
# element. It is the same text on every page; a new editor version may change it, and the
# browser test in tests/e2e/test_content_security_policy.py then names the new hash.
STORY_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"

# Staff pages drawn with Bootstrap, whose stylesheet paints its icons as data: images.
BOOTSTRAP_AREAS = ("/photos/", "/account/", "/accounts/")


def area_additions(path):
    """What the area `path` is in adds to the site-wide policy."""
    if path.startswith("/admin/"):
        return {
            "img-src": ["data:"],
            "script-src": [story_editor_import_map_hash()],
            "style-src": [STORY_EDITOR_STYLE_HASH],
        }
    if path.startswith(BOOTSTRAP_AREAS):
        return {"img-src": ["data:"]}
    return {}


class StaffAreaPolicyMiddleware:
    """Adds the staff areas' allowances to the policy django-csp writes; below CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if additions := area_additions(request.path):
            current = getattr(response, "_csp_update", None) or {}
            update = {key: list(value) for key, value in current.items()}
            for directive, sources in additions.items():
                update.setdefault(directive, []).extend(sources)
            response._csp_update = update
        return response


@csrf_exempt
@require_POST
def report(request):
    """Where browsers send violation reports: logged for the web team, answered with 204."""
    body = request.read(REPORT_MAX_BYTES + 1)
    if len(body) > REPORT_MAX_BYTES:
        return HttpResponseBadRequest("Report too large.")
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponseBadRequest("Not a JSON report.")
    logger.warning("Content-Security-Policy violation: %s", json.dumps(payload)[:2000])
    return HttpResponse(status=204)
