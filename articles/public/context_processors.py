from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ..stories import navigation


def nav_sections(request):
    """The sections in navigation order, once per request (pages that list stories by section
    use the same list as the header and footer); see stories/navigation.py."""
    return navigation.sections(request)


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "nav_sections": SimpleLazyObject(lambda: nav_sections(request)),
    }
