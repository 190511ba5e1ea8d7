"""The read API: thin endpoints that pick a published queryset, page it and shape it as ninjs.

Visibility comes from `Article.objects.published()` alone; responses are cached and answer
conditional GETs like the public pages, and carry the same surrogate keys (`xkey`).
"""

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode, urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from ninja import NinjaAPI, Path, Query, Status
from ninja.decorators import decorate_view
from pydantic import BeforeValidator
from taggit.models import Tag

from ...caching import keys
from ...models import Article, Byline, Contributor, Correction, FormerURL, Section
from ...stories.body_media import attach_media
from ...stories.ninjs import correction_to_dict, story_queryset, story_to_ninjs, story_uri
from ..views import ArticleDetailView, public_page
from . import schemas
from .cursor import BadCursor, Keyset, keyset_page

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_ID = 2**63 - 1
# Slugs may hold letters of any script (`allow_unicode`); what they never hold is a space, a
# control character (PostgreSQL refuses NUL) or URL punctuation. Written without \w, which
# JSON Schema's regex dialect reads as ASCII and Python's as Unicode: the published schema and
# the server must agree on what is valid.
SLUG = r"^[^\x00-\x20\x7f/?#&%]+$"
STORIES = Keyset("stories", "publish_at")
CORRECTIONS = Keyset("corrections", "created_at")
CONTRIBUTORS = Keyset("contributors", "name", descending=False)
TAGS = Keyset("tags", "name", descending=False)
ERRORS = {400: schemas.Error, 404: schemas.Error, 422: schemas.InvalidInput}

api = NinjaAPI(
    title="Newsroom read API",
    version="1",
    description="Published stories in IPTC ninjs 2.1, with their sections, contributors, tags and "
    "corrections. See docs/api.md for paging, syncing with `updated_since`, and webhooks.",
    urls_namespace="api-v1",
)


class BadInput(ValueError):
    pass


def _iso_8601_only(value):
    # pydantic also takes Unix timestamps; the document promises RFC 3339 date-times only.
    if isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError("Give a date and time like 2026-03-14T09:30:00Z.")
    return value


Moment = Annotated[datetime | None, BeforeValidator(_iso_8601_only)]


@api.exception_handler(BadCursor)
@api.exception_handler(BadInput)
def bad_input(request, error):
    return api.create_response(request, {"detail": str(error)}, status=400)


def base_url(request):
    return request.build_absolute_uri("/")


def moment(value, name):
    """`value` as an aware UTC datetime; times without an offset are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise BadInput(f"{name} is out of range; give a date between the years 2 and 9998.") from error


def next_url(request, cursor):
    if cursor is None:
        return None
    query = {**request.GET.dict(), "cursor": cursor}
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


def stories_response(request, response, articles):
    attach_media(articles)
    shown = [key for article in articles for key in keys.article_keys(article)]
    shown += [key for article in articles for key in keys.media_keys(article.media)]
    keys.set_keys(response, [keys.API, *shown])
    return [story_to_ninjs(article, base_url=base_url(request)) for article in articles]


@api.get("/stories", response={200: schemas.StoryPage, **ERRORS}, by_alias=True, tags=["stories"])
@decorate_view(public_page)
def list_stories(
    request: HttpRequest,
    response: HttpResponse,
    section: str | None = Query(None, max_length=200, pattern=SLUG, description="A section's slug."),
    tag: str | None = Query(None, max_length=200, pattern=SLUG, description="A tag's slug."),
    contributor: str | None = Query(None, max_length=200, pattern=SLUG, description="A contributor's slug."),
    published_after: Moment = Query(None, description="Published at or after this time."),
    published_before: Moment = Query(None, description="Published before this time."),
    updated_since: Moment = Query(
        None, description="Changed in any way at or after this time: for keeping a copy in sync."
    ),
    cursor: str | None = Query(None, max_length=500, description="From `next_cursor` of the page before."),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """Published stories, newest first, a page at a time."""
    stories = story_queryset()
    if section:
        stories = stories.filter(section__slug=section)
    if tag:
        stories = stories.filter(tags__slug=tag)
    if contributor:
        stories = stories.filter(
            pk__in=Byline.objects.filter(contributor__slug=contributor).values("article")
        )
    if after := moment(published_after, "published_after"):
        stories = stories.filter(publish_at__gte=after)
    if before := moment(published_before, "published_before"):
        stories = stories.filter(publish_at__lt=before)
    if since := moment(updated_since, "updated_since"):
        stories = stories.changed_since(since)
    page, next_cursor = keyset_page(stories, STORIES, cursor=cursor, limit=limit)
    return {
        "items": stories_response(request, response, page),
        "next_cursor": next_cursor,
        "next": next_url(request, next_cursor),
    }


@api.get(
    "/stories/by-path",
    response={200: schemas.Story, 410: schemas.Error, **ERRORS},
    by_alias=True,
    tags=["stories"],
)
@decorate_view(public_page)
def story_by_path(
    request: HttpRequest,
    response: HttpResponse,
    path: str = Query(
        ..., max_length=500, pattern=r"^[^\x00]+$", description="e.g. /2026/03/14/ferry-strike/"
    ),
):
    """The story at a public page address (or a full URL); an old address of a moved story finds it too."""
    try:
        address = urlsplit(path).path
        match = resolve(address)
    except ValueError as not_a_url:  # e.g. an unclosed IPv6 bracket
        raise BadInput("path is not a page address, e.g. /2026/03/14/ferry-strike/.") from not_a_url
    except Resolver404:
        match = None
    if match is None or match.view_name != "articles:detail":
        return Status(404, {"detail": "No story page has this address."})
    day_view = ArticleDetailView(kwargs=match.kwargs)
    try:
        found = day_view.stories_on_day(story_queryset()).first()
        if found is None:
            former = FormerURL.objects.filter(path=address, article__in=Article.objects.published()).first()
            found = story_queryset().filter(pk=former.article_id).first() if former else None
        if found is None:
            withdrawn = day_view.stories_on_day(Article.objects.filter(status=Article.Status.WITHDRAWN))
            if withdrawn.exists():
                return Status(410, {"detail": "This story was withdrawn."})
            return Status(404, {"detail": "No published story at this address."})
    except Http404:
        return Status(404, {"detail": "No published story at this address."})
    return stories_response(request, response, [found])[0]


@api.get(
    "/stories/{story_id}",
    response={200: schemas.Story, 410: schemas.Error, **ERRORS},
    by_alias=True,
    tags=["stories"],
    url_name="story",
)
@decorate_view(public_page)
def story(request: HttpRequest, response: HttpResponse, story_id: int = Path(..., ge=1, le=MAX_ID)):
    """One published story. A withdrawn story answers 410 so that copies can take it down."""
    found = story_queryset().filter(pk=story_id).first()
    if found is None:
        if Article.objects.filter(pk=story_id, status=Article.Status.WITHDRAWN).exists():
            keys.set_keys(response, [keys.API, keys.article_key(story_id)])
            return Status(410, {"detail": "This story was withdrawn."})
        return Status(404, {"detail": "No published story has this id."})
    return stories_response(request, response, [found])[0]


@api.get("/sections", response={200: schemas.SectionList, **ERRORS}, tags=["filing"])
@decorate_view(public_page)
def list_sections(request: HttpRequest, response: HttpResponse):
    """Every section, in the site's navigation order."""
    sections = list(Section.objects.all())
    keys.set_keys(response, [keys.API, *(keys.section_key(section.pk) for section in sections)])
    return {"items": [_section(request, section) for section in sections]}


def _section(request, section):
    return {
        "id": section.pk,
        "name": section.name,
        "slug": section.slug,
        "description": section.description,
        "url": request.build_absolute_uri(section.get_absolute_url()),
    }


@api.get("/contributors", response={200: schemas.ContributorPage, **ERRORS}, tags=["filing"])
@decorate_view(public_page)
def list_contributors(
    request: HttpRequest,
    response: HttpResponse,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """People and organisations with a byline on a published story, by name."""
    page, next_cursor = keyset_page(
        Contributor.objects.with_published_stories(), CONTRIBUTORS, cursor=cursor, limit=limit
    )
    keys.set_keys(response, [keys.API, *(keys.contributor_key(person.pk) for person in page)])
    items = [
        {
            "id": person.pk,
            "name": person.name,
            "slug": person.slug,
            "kind": person.kind,
            "job_title": person.job_title,
            "bio": person.bio,
            "url": request.build_absolute_uri(person.get_absolute_url()),
        }
        for person in page
    ]
    return {"items": items, "next_cursor": next_cursor, "next": next_url(request, next_cursor)}


@api.get("/tags", response={200: schemas.TagPage, **ERRORS}, tags=["filing"])
@decorate_view(public_page)
def list_tags(
    request: HttpRequest,
    response: HttpResponse,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """Tags on at least one published story, by name."""
    used = Tag.objects.filter(article__in=Article.objects.published().values("pk")).values("pk")
    page, next_cursor = keyset_page(Tag.objects.filter(pk__in=used), TAGS, cursor=cursor, limit=limit)
    keys.set_keys(response, [keys.API, *(keys.tag_key(tag.pk) for tag in page)])
    items = [
        {
            "id": tag.pk,
            "name": tag.name,
            "slug": tag.slug,
            "url": request.build_absolute_uri(reverse("articles:tag", kwargs={"slug": tag.slug})),
        }
        for tag in page
    ]
    return {"items": items, "next_cursor": next_cursor, "next": next_url(request, next_cursor)}


@api.get("/corrections", response={200: schemas.CorrectionPage, **ERRORS}, tags=["stories"])
@decorate_view(public_page)
def list_corrections(
    request: HttpRequest,
    response: HttpResponse,
    cursor: str | None = Query(None, max_length=500),
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT),
):
    """Corrections, updates and editor's notes on published stories, newest first."""
    corrections = Correction.objects.filter(
        article__in=Article.objects.published().values("pk")
    ).select_related("article", "article__section")
    page, next_cursor = keyset_page(corrections, CORRECTIONS, cursor=cursor, limit=limit)
    keys.set_keys(response, [keys.API, *(keys.article_key(c.article_id) for c in page)])
    items = [
        {
            **correction_to_dict(correction),
            "story": {
                "id": correction.article_id,
                "uri": story_uri(base_url(request), correction.article_id),
                "headline": correction.article.headline,
                "url": request.build_absolute_uri(correction.article.get_absolute_url()),
            },
        }
        for correction in page
    ]
    return {"items": items, "next_cursor": next_cursor, "next": next_url(request, next_cursor)}
