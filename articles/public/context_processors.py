from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ..models import Section


def nav_sections(request):
    """The sections in navigation order, fetched once per request (pages that list
    stories by section use the same list as the header and footer)."""
    if not hasattr(request, "_nav_sections"):
        request._nav_sections = list(Section.objects.all())
    return request._nav_sections


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "nav_sections": SimpleLazyObject(lambda: nav_sections(request)),
    }
