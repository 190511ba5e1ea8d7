"""The reader site. Every queryset here starts from Article.objects.published().

Each page runs a fixed number of queries however many stories, bylines, tags and photos it
shows: cards come with their section and lead photo joined, then the renditions and the
bylines of all cards on the page arrive in one query each.
"""

import datetime
import functools
import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import conditional_page
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from ..caching import kept
from ..caching import keys as surrogate_keys
from ..models import Article, Contributor, Correction, FormerURL, Section
from ..models.story_parts import attach_parts
from ..stories.body_media import attach_media
from ..stories.frontpage import home_page
from ..stories.listings import related_stories
from ..stories.search import clean_query, search_articles
from . import cards, pagecache
from .context_processors import nav_sections
from .paging import CappedPaginator

PAGE_SIZE = 20
RELATED_STORIES = 3


def public_page(view, *, keys=()):
    """Let shared caches keep the page briefly, and answer conditional GETs with 304.

    The response names what it shows in its surrogate-key header (articles/public/keys.py):
    the keys the view noted on the request, plus `keys` for pages of one fixed kind.

    The ETag is a hash of the rendered page, so it changes whenever anything on the page
    does (a correction, a byline, a related story, a photo whose rights ran out).

    The bound (NEWSROOM_PUBLIC_CACHE_SECONDS) is also how late a scheduled story can show
    up on a cached page: whether a story is visible is decided by the query alone.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)

        def cache_control(response):
            # Once rendered: no longer than the kept parts the page was built from.
            seconds = kept.seconds_left(request, settings.NEWSROOM_PUBLIC_CACHE_SECONDS)
            patch_cache_control(response, public=True, max_age=max(0, math.floor(seconds)))

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(cache_control)
        else:
            cache_control(response)
        surrogate_keys.set_header(response, request, keys)
        return response

    return conditional_page(wrapped)


class StoryListView(ListView):
    """A paginated list of story cards, at most CappedPaginator.max_pages deep."""

    context_object_name = "articles"
    paginate_by = PAGE_SIZE
    paginator_class = CappedPaginator

    def get_queryset(self):
        cards.read_counter(self.request)
        return Article.objects.published().cards(prefetch=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Fetched here rather than by the template, so the page's keys come from the same rows.
        page = context["page_obj"]
        page.object_list = context["object_list"] = context[self.context_object_name] = list(page.object_list)
        context["cards"] = cards.story_cards(self.request, page.object_list)
        return context


class HomeView(TemplateView):
    """The front page editors laid out, its empty places filled by the automatic rule."""

    template_name = "articles/home.html"

    def get(self, request, *args, **kwargs):
        return pagecache.home_page(request, lambda: super(HomeView, self).get(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        page = home_page(sections=nav_sections(self.request))
        shown = [story for story in (page.lead, *page.top_stories, *page.more) if story is not None]
        shown += [story for _section, stories in page.section_blocks for story in stories]
        surrogate_keys.add_keys(self.request, [surrogate_keys.HOME, *surrogate_keys.cards_keys(shown)])
        return super().get_context_data(**page.context(), **kwargs)


class SectionView(StoryListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        surrogate_keys.add_keys(self.request, [surrogate_keys.section_key(self.section.pk)])
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
        page_keys = [surrogate_keys.contributor_key(self.contributor.pk)]
        if self.contributor.headshot_id:
            page_keys.append(surrogate_keys.photo_key(self.contributor.headshot_id))
        surrogate_keys.add_keys(self.request, page_keys)
        return super().get_queryset().bylined_by(self.contributor)

    def get_context_data(self, **kwargs):
        return super().get_context_data(contributor=self.contributor, **kwargs)


class TagView(StoryListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        # A tag used only on unpublished stories must not reveal itself.
        published_tags = Tag.objects.filter(article__in=Article.objects.published().values("pk"))
        self.tag = get_object_or_404(published_tags.distinct(), slug=self.kwargs["slug"])
        surrogate_keys.add_keys(self.request, [surrogate_keys.tag_key(self.tag.pk)])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SearchView(StoryListView):
    template_name = "articles/search.html"

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        surrogate_keys.add_keys(self.request, [surrogate_keys.SEARCH])
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.object_list = context["object_list"] = context[self.context_object_name] = list(page.object_list)
        surrogate_keys.add_keys(
            self.request,
            [
                surrogate_keys.CORRECTIONS,
                *(surrogate_keys.article_key(c.article_id) for c in page.object_list),
            ],
        )
        return context


def article_page_context(request, article, *, preview=False, related=None):
    """What the article template needs; the public page and previews share it.

    `article` comes with its tags and corrections, prefetched or attached from its row
    (models/story_parts.py); its renditions and bylines are fetched here if they were not,
    with those of the related cards not kept (public/cards.py).
    Pass `related` (story rows) when they were chosen already; otherwise choosing costs a query.
    """
    if related is None:
        related = related_stories(article, limit=RELATED_STORIES)
    related_cards = cards.story_cards(request, related, size="large", prefetch_with=[article])
    if not hasattr(article, "media"):
        attach_media([article])
    return {
        "article": article,
        "preview": preview,
        "related_cards": related_cards,
        "current_section": article.section,
    }


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        # The story row alone decides what may be shown; the page may then come from the cache.
        # The row carries the parts a render shows (models/story_parts.py). Slugs are unique, so
        # there is one row at most: not ordering it saves building the ORDER BY.
        found = self.stories_on_day(Article.objects.published()).cards(prefetch=False).with_parts()
        story = next(iter(found.order_by()[:1]), None)
        if story is None:
            return self.not_here(request)
        self.object = story
        return pagecache.story_page(request, story, lambda: self.render_story(request, story))

    def render_story(self, request, story):
        related = pagecache.related_stories(request, story, limit=RELATED_STORIES)
        attach_parts(story)
        context = article_page_context(request, story, related=related)
        shown = surrogate_keys.article_keys(story) + surrogate_keys.media_keys(story.media)
        surrogate_keys.add_keys(request, shown)
        return self.render_to_response(context)

    def stories_on_day(self, queryset):
        try:
            day = datetime.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            # In UTC, as the database compares: the first and last days may not fit there.
            start, end = (
                start.astimezone(datetime.UTC),
                (start + datetime.timedelta(days=1)).astimezone(datetime.UTC),
            )
        except (ValueError, OverflowError) as bad_date:
            raise Http404("No such date.") from bad_date
        return queryset.filter(slug=self.kwargs["slug"], publish_at__gte=start, publish_at__lt=end)

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
            # Keyed by the story, so moving or withdrawing it again refreshes this redirect too.
            surrogate_keys.add_keys(request, [surrogate_keys.article_key(former.article_id)])
            return redirect(former.article, permanent=True)
        withdrawn = self.stories_on_day(Article.objects.filter(status=Article.Status.WITHDRAWN))
        if withdrawn_pk := withdrawn.values_list("pk", flat=True).first():
            surrogate_keys.add_keys(request, [surrogate_keys.article_key(withdrawn_pk)])
            return render(request, "articles/withdrawn.html", status=410)
        raise Http404("No published story at this address.")
