"""The reader site. Every queryset here starts from Article.objects.published().

Each page runs a fixed number of queries however many stories, bylines, tags and photos it
shows: cards come with their section and lead photo joined, then the renditions and the
bylines of all cards on the page arrive in one query each.
"""

import datetime
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    OuterRef,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import conditional_page
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from ..models import Article, Contributor, Correction, FormerURL, Section
from ..models.article import prefetch_cards
from ..stories.frontpage import home_page
from ..stories.search import clean_query, search_articles

PAGE_SIZE = 20
RELATED_STORIES = 3


def public_page(view):
    """Let shared caches keep the page briefly, and answer conditional GETs with 304.

    The ETag is a hash of the rendered page, so it changes whenever anything on the page
    does (a correction, a byline, a related story, a photo whose rights ran out).

    The bound (NEWSROOM_PUBLIC_CACHE_SECONDS) is also how late a scheduled story can show
    up on a cached page: whether a story is visible is decided by the query alone.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, public=True, max_age=settings.NEWSROOM_PUBLIC_CACHE_SECONDS)
        return response

    return conditional_page(wrapped)


class StoryListView(ListView):
    """A paginated list of story cards."""

    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().cards()


class HomeView(TemplateView):
    """The front page editors laid out, its empty places filled by the automatic rule."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**home_page().context(), **kwargs)


class SectionView(StoryListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, current_section=self.section, **kwargs)


class ContributorView(StoryListView):
    template_name = "articles/contributor.html"

    def get_queryset(self):
        self.contributor = get_object_or_404(
            Contributor.objects.with_published_stories()
            .select_related("headshot")
            .prefetch_related("headshot__renditions"),
            slug=self.kwargs["slug"],
        )
        return super().get_queryset().bylined_by(self.contributor)

    def get_context_data(self, **kwargs):
        return super().get_context_data(contributor=self.contributor, **kwargs)


class TagView(StoryListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        # A tag used only on unpublished stories must not reveal itself.
        published_tags = Tag.objects.filter(article__in=Article.objects.published().values("pk"))
        self.tag = get_object_or_404(published_tags.distinct(), slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SearchView(StoryListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search_articles(super().get_queryset(), self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query,
            query_string=urlencode({"q": self.query}) if self.query else "",
            **kwargs,
        )


class CorrectionListView(ListView):
    """Every correction, update and editor's note on a published story, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return (
            Correction.objects.filter(article__in=Article.objects.published().values("pk"))
            .select_related("article", "article__section")
            .order_by("-created_at", "-id")
        )


def related_stories(story, *, include_story=False):
    """Published stories in the same section as `story` or sharing a tag, best match first.

    `story` is a queryset of one story, so the page can fetch a story and its related
    stories in a single query (`include_story=True` puts the story itself first).
    """
    story_tags = Tag.objects.filter(article__in=story.values("pk")).values("pk")
    tagged_alike = Article.objects.filter(tags__in=story_tags).values("pk")
    shared_tags = (
        Article.objects.filter(pk=OuterRef("pk"), tags__in=story_tags)
        .values("pk")
        .annotate(count=Count("tags"))
        .values("count")
    )
    candidates = Article.objects.published().cards(prefetch=False).filter(
        section__in=story.values("section")
    ) | Article.objects.published().cards(prefetch=False).filter(pk__in=tagged_alike)
    if include_story:
        candidates = candidates | Article.objects.published().cards(prefetch=False).filter(
            pk__in=story.values("pk")
        )
        is_story = Case(When(pk__in=story.values("pk"), then=Value(1)), default=Value(0))
    else:
        candidates = candidates.exclude(pk__in=story.values("pk"))
        is_story = Value(0)
    return candidates.alias(is_story=is_story, shared_tags=Coalesce(Subquery(shared_tags), 0)).order_by(
        "-is_story", "-shared_tags", "-publish_at", "-id"
    )


def article_page_context(request, article, *, preview=False, related=None):
    """What the article template needs; the public page and previews share it.

    `article` comes with tags and corrections prefetched (`for_article_page`). Pass
    `related` when it was fetched already; otherwise it costs one query and the prefetches.
    """
    if related is None:
        related = prefetch_cards(related_stories(Article.objects.filter(pk=article.pk))[:RELATED_STORIES])
    return {
        "article": article,
        "preview": preview,
        "related": related,
        "current_section": article.section,
    }


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        story = self.stories_on_day(Article.objects.published())
        # The story and its related stories in one query, the story first.
        found = list(related_stories(story, include_story=True)[: RELATED_STORIES + 1])
        if not found or found[0].slug != self.kwargs["slug"]:
            return self.not_here(request)
        self.object, *related = found
        prefetch_related_objects([self.object], "tags", "corrections")
        prefetch_cards(found)
        return self.render_to_response(article_page_context(request, self.object, related=related))

    def stories_on_day(self, queryset):
        try:
            day = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError as bad_date:
            raise Http404("No such date.") from bad_date
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return queryset.filter(
            slug=self.kwargs["slug"],
            publish_at__gte=start,
            publish_at__lt=start + datetime.timedelta(days=1),
        )

    def not_here(self, request):
        """301 to where a moved story lives now, 410 for a withdrawn one, else 404."""
        # Stored paths come from reverse(), which percent-encodes non-ASCII slugs.
        paths = {request.path, escape_uri_path(request.path)}
        former = (
            FormerURL.objects.filter(path__in=paths, article__in=Article.objects.published())
            .select_related("article")
            .first()
        )
        if former is not None:
            return redirect(former.article, permanent=True)
        if self.stories_on_day(Article.objects.filter(status=Article.Status.WITHDRAWN)).exists():
            return render(request, "articles/withdrawn.html", status=410)
        raise Http404("No published story at this address.")
