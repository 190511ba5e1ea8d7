"""The sitemap index's entries: `{% load sitemap_index %}`.

At a million stories the index names 200 pages of story sitemap (Google's limit is 50,000
URLs a file, and ours hold 5,000 each), all with the same `lastmod`. Rendered by the
template engine, with the date filter on each entry, that list cost more than the rest of
the request; here each distinct `lastmod` is formatted once and the entries are joined as
text, so the index costs about the same at any archive size.
"""

import datetime

from django import template
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def sitemap_index_entries(sitemaps):
    """The `<sitemap>` elements of Django's index view's `sitemaps` list, as the stock
    template writes them (`lastmod` in ISO 8601, in the current time zone)."""
    stamps = {}

    def lastmod(moment):
        if not moment:
            return ""
        if moment not in stamps:
            aware = isinstance(moment, datetime.datetime) and timezone.is_aware(moment)
            local = timezone.localtime(moment) if aware else moment  # a sitemap may give dates
            stamps[moment] = f"<lastmod>{date(local, 'c')}</lastmod>"
        return stamps[moment]

    entries = (
        f"<sitemap><loc>{escape(site.location)}</loc>{lastmod(site.last_mod)}</sitemap>"
        for site in sitemaps
    )
    return mark_safe("\n".join(entries))
