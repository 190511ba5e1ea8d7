"""Sitemaps for search engines: stories, sections and contributors, and a Google News sitemap.

The news sitemap lists every photo a story shows (`story_photos`) as an image entry.
"""

import datetime
import math
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils import timezone

from ..models import Article, Contributor, Rendition, Section
from ..stories.body_media import attach_media, story_photos

# Google News reads only stories published in the last two days, at most 1,000 of them.
NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000
NEWS_IMAGE_WIDTH = 1280


class IdRangePaginator(Paginator):
    """Sitemap page N holds the stories with ids in ((N-1)*limit, N*limit].

    The number of pages comes from the highest id (one index probe), never from counting
    the archive, and a page is a primary-key range scan, so a page of the millionth story
    costs what the first does. Every published story is on exactly one page and no page
    holds more than `limit` URLs (Google's cap is 50,000); pages over ranges of drafts or
    deleted stories are short or empty, which sitemap readers accept.
    """

    def __init__(self, object_list, per_page, *, highest_id):
        super().__init__(object_list, per_page)
        self.highest_id = highest_id

    @property
    def num_pages(self):
        return max(1, math.ceil(self.highest_id / self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        first = (number - 1) * self.per_page
        stories = self.object_list.filter(pk__gt=first, pk__lte=first + self.per_page).order_by("pk")
        return self._get_page(stories, number, self)


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "publish_at", "created_at", "reader_modified_at")

    @property
    def paginator(self):
        highest = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return IdRangePaginator(self.items(), self.limit, highest_id=highest)

    def lastmod(self, article):
        return article.reader_modified_at

    def get_latest_lastmod(self):
        # The default walks every story in Python; the reader_modified_at index has it at once.
        latest = (
            Article.objects.published()
            .filter(reader_modified_at__isnull=False)
            .order_by("-reader_modified_at")
            .values_list("reader_modified_at", flat=True)
        )
        return latest.first()


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class CountGivenPaginator(Paginator):
    """A paginator told how many items there are at most, instead of counting them."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count


class ContributorSitemap(Sitemap):
    def items(self):
        return Contributor.objects.with_published_stories().order_by("name", "pk")

    @property
    def paginator(self):
        # Counting contributors with a published story probes the bylines of each, deeper as
        # the archive grows; all contributors are a cheap bound, and a page over the bound's
        # tail is merely short.
        return CountGivenPaginator(self.items(), self.limit, count=Contributor.objects.count())


class NewsSitemap(Sitemap):
    """Rendered with articles/sitemap_news.xml, which adds the `news:` elements."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.published()
            .filter(publish_at__gte=timezone.now() - NEWS_WINDOW)
            .select_related("lead_photo")
            .prefetch_related(Prefetch("lead_photo__renditions", Rendition.objects.filter(square=False)))
            .order_by("-publish_at", "-id")
        )

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        attach_media([url["item"] for url in urls])
        for url in urls:
            url["publication_name"] = settings.NEWSROOM_SITE_NAME
            url["language"] = news_language(settings.LANGUAGE_CODE)
            url["images"] = news_images(url["item"], url["location"])
        return urls


def news_images(article, location):
    """Image entries for every photo the story shows, credit included in the caption."""
    images = []
    for photo in story_photos(article):
        if rendition := photo.rendition(NEWS_IMAGE_WIDTH):
            caption = f"{photo.caption} Credit: {photo.credit}" if photo.credit else photo.caption
            images.append({"loc": urljoin(location, rendition.file.url), "caption": caption.strip()})
    return images


def news_language(language_code):
    """Google News wants ISO 639 codes ("en"), except zh-cn and zh-tw."""
    code = language_code.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "contributors": ContributorSitemap}
