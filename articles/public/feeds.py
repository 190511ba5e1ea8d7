"""RSS 2.0 and Atom feeds of published stories: latest, per section, per contributor.

Each item carries the dek (with any corrections appended), the authors, the section and
tags as categories, and every photo the story shows (lead photo, lead gallery, photos and
galleries in the body; `story_photos`) as a Media RSS `<media:content>` with its credit.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.utils import feedgenerator
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import get_text_list
from django.utils.timezone import localtime

from ..caching import keys as surrogate_keys
from ..models import Article, Contributor, Section
from ..stories.body_media import attach_media, story_photos
from .views import public_page

ITEMS = 30
FEED_IMAGE_WIDTH = 1280
MEDIA_RSS = "http://search.yahoo.com/mrss/"


def _add_media(handler, item):
    for photo in item.get("media", []):
        attrs = {
            "url": photo["url"],
            "medium": "image",
            "type": "image/jpeg",
            "width": str(photo["width"]),
            "height": str(photo["height"]),
        }
        handler.startElement("media:content", attrs)
        if photo["credit"]:
            handler.addQuickElement("media:credit", photo["credit"])
        handler.endElement("media:content")


class MediaRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS with Media RSS photos.

    RSS readers take titles and descriptions as HTML, so text that is not HTML already (a
    section's description, a name, a headline) is escaped once more than XML asks: a `<b>`
    typed into a field reaches the reader as text, never as markup. Item descriptions are
    built as HTML by `StoryFeed.item_description`, escaped there.
    """

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS}

    def add_root_elements(self, handler):
        self.feed = {
            **self.feed,
            "title": escape(self.feed["title"]),
            "description": escape(self.feed["description"]),
        }
        super().add_root_elements(handler)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "title": escape(item["title"])})
        _add_media(handler, item)


class MediaAtomFeed(feedgenerator.Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        _add_media(handler, item)


class StoryFeed(Feed):
    """The latest published stories. Subclasses narrow `stories(obj)`."""

    feed_type = MediaRssFeed

    @classmethod
    def as_view(cls, **initkwargs):
        """A view that makes a feed object per request, so `self.request` is never shared."""

        def view(request, *args, **kwargs):
            return cls(**initkwargs)(request, *args, **kwargs)

        return public_page(view, keys=[surrogate_keys.FEEDS])

    def __init__(self, *, atom=False):
        super().__init__()
        if atom:
            self.feed_type = MediaAtomFeed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj):
        items = list(
            self.stories(obj)
            .cards()
            .prefetch_related("tags", "corrections")
            .order_by("-publish_at", "-id")[:ITEMS]
        )
        attach_media(items)
        surrogate_keys.add_keys(
            self.request, [key for item in items for key in surrogate_keys.article_keys(item)]
        )
        return items

    def title(self, obj):
        return settings.NEWSROOM_SITE_NAME

    def link(self, obj):
        return "/"

    def description(self, obj):
        return f"The latest stories from {settings.NEWSROOM_SITE_NAME}."

    def feed_url(self):
        return self.request.path

    def item_title(self, item):
        return item.headline

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        """A tag URI that stays the same when an editor changes the story's slug or date."""
        domain, _port = split_domain_port(self.request.get_host())
        first = item.first_published_at or item.publish_at
        return f"tag:{domain},{first:%Y-%m-%d}:article:{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        notes = format_html_join(
            "",
            "<p><strong>{} ({}):</strong> {}</p>",
            (
                (note.get_kind_display(), format_date(localtime(note.created_at), "N j, Y"), note.text)
                for note in item.corrections.all()
            ),
        )
        return format_html("<p>{}</p>{}", item.dek or item.seo_description, notes)

    def item_author_name(self, item):
        return get_text_list([person.name for person in item.authors()], "and") or None

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.reader_modified_at

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_extra_kwargs(self, item):
        media = []
        for photo in story_photos(item):
            if image := photo.rendition(FEED_IMAGE_WIDTH):
                url = self.request.build_absolute_uri(image.file.url)
                media.append(
                    {"url": url, "width": image.width, "height": image.height, "credit": photo.credit}
                )
        return {"media": media}


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        section = get_object_or_404(Section, slug=slug)
        surrogate_keys.add_keys(request, [surrogate_keys.section_key(section.pk)])
        return section

    def stories(self, section):
        return Article.objects.published().filter(section=section)

    def title(self, section):
        return f"{section.name} | {settings.NEWSROOM_SITE_NAME}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return section.description or f"The latest {section.name} stories."


class ContributorFeed(StoryFeed):
    def get_object(self, request, slug):
        contributor = get_object_or_404(Contributor.objects.with_published_stories(), slug=slug)
        surrogate_keys.add_keys(request, [surrogate_keys.contributor_key(contributor.pk)])
        return contributor

    def stories(self, contributor):
        return Article.objects.published().bylined_by(contributor)

    def title(self, contributor):
        return f"{contributor.name} | {settings.NEWSROOM_SITE_NAME}"

    def link(self, contributor):
        return contributor.get_absolute_url()

    def description(self, contributor):
        return f"The latest stories by {contributor.name}."
