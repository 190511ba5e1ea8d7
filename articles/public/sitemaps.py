"""Sitemaps for search engines: stories, sections and contributors, and a Google News sitemap."""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone

from ..models import Article, Contributor, Section

# Google News reads only stories published in the last two days, at most 1,000 of them.
NEWS_WINDOW = datetime.timedelta(hours=48)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "publish_at", "created_at", "reader_modified_at")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, article):
        return article.reader_modified_at

    def get_latest_lastmod(self):
        # The default walks every story in Python; one aggregate does the same.
        return Article.objects.published().aggregate(latest=Max("reader_modified_at"))["latest"]


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class ContributorSitemap(Sitemap):
    def items(self):
        return Contributor.objects.with_published_stories().order_by("name", "pk")


class NewsSitemap(Sitemap):
    """Rendered with articles/sitemap_news.xml, which adds the `news:` elements."""

    limit = NEWS_LIMIT

    def items(self):
        return (
            Article.objects.published()
            .filter(publish_at__gte=timezone.now() - NEWS_WINDOW)
            .only("slug", "headline", "publish_at", "created_at")
            .order_by("-publish_at", "-id")
        )

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            url["publication_name"] = settings.NEWSROOM_SITE_NAME
            url["language"] = news_language(settings.LANGUAGE_CODE)
        return urls


def news_language(language_code):
    """Google News wants ISO 639 codes ("en"), except zh-cn and zh-tw."""
    code = language_code.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "contributors": ContributorSitemap}
