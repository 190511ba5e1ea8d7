"""The rendered-page cache for story pages: fast repeats, never stale past the public cache time."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.stories import navigation, workflow
from tests.factories import ArticleFactory, BylineFactory, CorrectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_PUBLIC_CACHE_SECONDS = 60


@pytest.fixture
def story():
    story = ArticleFactory(headline="Ferry timetable changes", tags=["Ferries"])
    BylineFactory(article=story)
    return story


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def test_second_view_is_served_from_the_cache_with_one_query(client, story):
    first = get(client, story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = get(client, story.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert len(queries) == 1  # the story row, which decides whether it may be shown


def test_cached_view_runs_one_query_however_much_the_page_shows(client, story):
    get(client, story.get_absolute_url())
    for _ in range(4):
        ArticleFactory(section=story.section, tags=["Ferries"])
        BylineFactory(article=story)
        CorrectionFactory(article=story, created_at=story.publish_at)
    story.refresh_from_db()
    get(client, story.get_absolute_url())  # the corrections changed the key: render once
    with CaptureQueriesContext(connection) as queries:
        assert get(client, story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert len(queries) == 1


def test_correction_shows_at_once_with_the_cache_on(client, story):
    get(client, story.get_absolute_url())
    CorrectionFactory(article=story, text="An earlier version misstated the fare.")
    response = get(client, story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert b"An earlier version misstated the fare." in response.content


def test_edit_through_the_workflow_shows_at_once(client, story):
    get(client, story.get_absolute_url())
    story.headline = "Ferry timetable changes from Monday"
    story.save()
    assert b"from Monday" in get(client, story.get_absolute_url()).content


def test_withdrawn_story_is_gone_at_once_with_the_cache_on(client, story):
    get(client, story.get_absolute_url())
    workflow.withdraw_article(article=story, by=UserFactory(is_superuser=True, is_staff=True))
    assert client.get(story.get_absolute_url()).status_code == 410


def test_scheduled_story_joins_related_lists_at_its_time_with_the_cache_on(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    scheduled = ArticleFactory(
        headline="Night ferry returns",
        section=story.section,
        tags=["Ferries"],
        publish_at=timezone.now() + datetime.timedelta(seconds=20),
    )
    before = get(client, story.get_absolute_url())
    assert b"Night ferry returns" not in before.content
    # The stored page lives no longer than until the scheduled story goes live.
    assert re.search(r"max-age=(1\d|20)\b", before["Cache-Control"]), before["Cache-Control"]
    time_machine.shift(datetime.timedelta(seconds=21))
    after = get(client, story.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert b"Night ferry returns" in after.content
    assert get(client, scheduled.get_absolute_url()).status_code == 200


def test_other_changes_show_within_the_public_cache_time(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    related = ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    assert b"Harbour dues rise" in get(client, story.get_absolute_url()).content
    Article.objects.filter(pk=related.pk).update(headline="Harbour dues rise again")
    time_machine.shift(datetime.timedelta(seconds=30))
    half_way = get(client, story.get_absolute_url())
    assert half_way["X-Page-Cache"] == "hit"
    assert "max-age=30" in half_way["Cache-Control"]  # a proxy in front may not add its own minute
    time_machine.shift(datetime.timedelta(seconds=31))
    assert b"Harbour dues rise again" in get(client, story.get_absolute_url()).content


def test_query_strings_are_rendered_fresh_and_not_stored(client, story):
    assert "X-Page-Cache" not in get(client, story.get_absolute_url(), QUERY_STRING="b=1")
    assert "X-Page-Cache" not in get(client, story.get_absolute_url(), QUERY_STRING="b=1")
    assert get(client, story.get_absolute_url())["X-Page-Cache"] == "miss"


def test_cache_off_renders_every_time(client, settings, story):
    settings.NEWSROOM_PAGE_CACHE = False
    get(client, story.get_absolute_url())
    assert "X-Page-Cache" not in get(client, story.get_absolute_url())


def test_a_photo_turning_ready_shows_at_once_on_the_stories_it_leads(client, story):
    from articles.models import Photo
    from articles.photos.pipeline import process_photo
    from tests.factories import PhotoFactory

    photo = PhotoFactory()
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING)
    photo.renditions.all().delete()
    Article.objects.filter(pk=story.pk).update(lead_photo=photo)
    before = get(client, story.get_absolute_url()).content.decode()
    assert "/renditions/" not in before  # a photo still processing is not shown to readers

    process_photo(photo=Photo.objects.get(pk=photo.pk))

    after = get(client, story.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert "/renditions/" in after.content.decode()


def test_a_fresh_render_reuses_the_related_choice_and_reads_the_cards_again(client, story):
    related = ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    assert b"Harbour dues rise" in get(client, story.get_absolute_url()).content
    with CaptureQueriesContext(connection) as queries:
        fresh = get(client, story.get_absolute_url(), QUERY_STRING="b=1")
    assert b"Harbour dues rise" in fresh.content
    assert not any("UNION" in query["sql"] for query in queries)  # the choice came from the cache

    workflow.withdraw_article(article=related, by=UserFactory(is_superuser=True, is_staff=True))
    # The cards are read through the visibility rule on every render: gone from the next one.
    assert b"Harbour dues rise" not in get(client, story.get_absolute_url(), QUERY_STRING="b=2").content


def test_a_new_related_story_joins_within_the_public_cache_time(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    get(client, story.get_absolute_url())
    ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    # Until then the related choice made a moment ago stands, even for a fresh render.
    assert b"Harbour dues rise" not in get(client, story.get_absolute_url(), QUERY_STRING="b=0").content
    time_machine.shift(datetime.timedelta(seconds=61))
    assert b"Harbour dues rise" in get(client, story.get_absolute_url(), QUERY_STRING="b=1").content


# --- The home page: kept until anything public changes --------------------------------------


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a save leaves for after its commit (the purges), as a real request would."""

    def saving():
        return django_capture_on_commit_callbacks(execute=True)

    return saving


def test_home_page_is_kept_and_served_without_queries(client, story):
    first = get(client, "/")
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert len(queries) == 0


def test_a_story_published_shows_on_the_home_page_at_once(client, story, on_commit):
    get(client, "/")
    draft = ArticleFactory(headline="Breaking: the bridge reopens", status=Article.Status.DRAFT)
    with on_commit():
        workflow.publish_article(article=draft, by=UserFactory(is_superuser=True, is_staff=True))
    response = get(client, "/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Breaking: the bridge reopens" in response.content


def test_withdrawn_or_edited_stories_leave_the_home_page_at_once(client, story, on_commit):
    editor = UserFactory(is_superuser=True, is_staff=True)
    other = ArticleFactory(headline="Harbour dues rise", section=story.section)
    assert b"Harbour dues rise" in get(client, "/").content
    with on_commit():
        workflow.withdraw_article(article=other, by=editor)
    assert b"Harbour dues rise" not in get(client, "/").content
    story.headline = "Ferry timetable changes from Monday"
    with on_commit():
        workflow.save_article(article=story, by=editor)
    assert b"Ferry timetable changes from Monday" in get(client, "/").content


def test_scheduled_story_reaches_the_home_page_at_its_time(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    ArticleFactory(headline="Night ferry returns", publish_at=timezone.now() + datetime.timedelta(seconds=20))
    before = get(client, "/")
    assert b"Night ferry returns" not in before.content
    assert re.search(r"max-age=(1\d|20)\b", before["Cache-Control"]), before["Cache-Control"]
    time_machine.shift(datetime.timedelta(seconds=21))  # no purge: the clock alone
    after = get(client, "/")
    assert after["X-Page-Cache"] == "miss"
    assert b"Night ferry returns" in after.content


def test_home_page_with_a_query_string_is_rendered_fresh(client, story):
    assert "X-Page-Cache" not in get(client, "/", QUERY_STRING="b=1")
    assert get(client, "/")["X-Page-Cache"] == "miss"


# --- Story cards: rendered once, kept, shown only while published ------------------------------


def _related_list(page):
    html = page.content.decode()
    return html[html.index('id="related-heading"') :]


def test_a_fresh_render_takes_kept_cards_without_their_photos_and_bylines(client, story):
    related = ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    BylineFactory(article=related)
    first = get(client, story.get_absolute_url(), QUERY_STRING="b=0")
    with CaptureQueriesContext(connection) as queries:
        second = get(client, story.get_absolute_url(), QUERY_STRING="b=1")
    assert _related_list(second) == _related_list(first)
    assert "Harbour dues rise" in _related_list(second)
    # The card's story is read again (is it still published? has it changed?) by its keys alone.
    reads = [query["sql"] for query in queries if related_id_in(query["sql"], related.pk)]
    assert len(reads) == 1 and '"articles_article"."body"' not in reads[0], reads
    assert second["xkey"] == first["xkey"]  # kept with the card: the same purges reach the page


def related_id_in(sql, pk):
    return "articles_article" in sql and f"IN ({pk}" in sql


def test_a_kept_card_changes_with_its_story_at_once(client, story):
    related = ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    get(client, story.get_absolute_url(), QUERY_STRING="b=0")
    related.headline = "Harbour dues rise by a third"
    related.save()
    assert "by a third" in _related_list(get(client, story.get_absolute_url(), QUERY_STRING="b=1"))


def test_a_kept_card_shows_a_renamed_contributor_after_the_purge(client, story, on_commit):
    from articles.caching import keys, purge

    related = ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    byline = BylineFactory(article=related, contributor__name="Ann Weir")
    assert "Ann Weir" in _related_list(get(client, story.get_absolute_url(), QUERY_STRING="b=0"))
    byline.contributor.name = "Ann Weir-Hall"
    with on_commit():
        byline.contributor.save()
        purge.purge([keys.contributor_key(byline.contributor.pk)])  # as the admin does on save
    assert "Ann Weir-Hall" in _related_list(get(client, story.get_absolute_url(), QUERY_STRING="b=1"))


def test_section_pages_keep_their_cards(client, story):
    for number in range(3):
        BylineFactory(article=ArticleFactory(headline=f"Tide report {number}", section=story.section))
    url = story.section.get_absolute_url()
    first = get(client, url)
    with CaptureQueriesContext(connection) as queries:
        second = get(client, url)
    assert second.content == first.content and second["xkey"] == first["xkey"]
    assert first.content.decode().count('<article class="card') == 4
    # No renditions or bylines read for kept cards.
    assert not any("articles_rendition" in q["sql"] or "articles_byline" in q["sql"] for q in queries)


def test_the_navigation_is_kept_until_a_section_changes(client, story, on_commit):
    from articles.caching import keys, purge

    get(client, story.get_absolute_url(), QUERY_STRING="b=0")
    with CaptureQueriesContext(connection) as queries:
        get(client, story.get_absolute_url(), QUERY_STRING="b=1")
    assert not any('FROM "articles_section"' in query["sql"] for query in queries)

    section = story.section
    section.name = "Harbour News"
    with on_commit():
        section.save()
        purge.purge([keys.section_key(section.pk)])  # as the admin does on save
    page = get(client, story.get_absolute_url(), QUERY_STRING="b=2").content.decode()
    nav = page[page.index('class="section-nav"') :]
    assert ">Harbour News</a>" in nav[: nav.index("</nav>")]


def test_a_new_section_joins_the_navigation_within_the_public_cache_time(client, time_machine, story):
    from tests.factories import SectionFactory

    time_machine.move_to(timezone.now(), tick=False)
    get(client, story.get_absolute_url(), QUERY_STRING="b=0")
    SectionFactory(name="Obituaries", slug="obituaries")  # adding a section purges nothing
    time_machine.shift(datetime.timedelta(seconds=61))
    assert b">Obituaries</a>" in get(client, story.get_absolute_url(), QUERY_STRING="b=1").content


def test_kept_menus_mark_each_page_own_section(client, story):
    from tests.factories import SectionFactory

    sport = ArticleFactory(headline="Rowing club wins", section=SectionFactory(name="Sport", slug="sport"))
    for page, section in ((story, story.section.name), (sport, "Sport"), (story, story.section.name)):
        html = get(client, page.get_absolute_url(), QUERY_STRING="b=1").content.decode()
        nav = html[html.index('class="section-nav"') :]
        nav = nav[: nav.index("</nav>")]
        assert nav.count('aria-current="page"') == 1
        assert f'aria-current="page">{section}</a>' in nav


def test_a_page_built_from_kept_cards_is_kept_no_longer_than_they_are(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    get(client, story.get_absolute_url(), QUERY_STRING="b=0")  # keeps the related card
    time_machine.shift(datetime.timedelta(seconds=40))
    page = get(client, story.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert re.search(r"max-age=(19|20)\b", page["Cache-Control"]), page["Cache-Control"]
    time_machine.shift(datetime.timedelta(seconds=21))
    assert get(client, story.get_absolute_url())["X-Page-Cache"] == "miss"  # the card has gone too


def test_a_list_page_tells_caches_in_front_how_long_its_kept_cards_last(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    url = story.section.get_absolute_url()
    assert "max-age=60" in get(client, url)["Cache-Control"]
    time_machine.shift(datetime.timedelta(seconds=45))
    assert re.search(r"max-age=1[45]\b", get(client, url)["Cache-Control"])


def test_adding_a_section_in_the_admin_moves_the_purge_counter(rf, on_commit):
    from django.contrib.admin.sites import site

    from articles.caching import generation
    from articles.models import Section

    before = generation.current()
    admin = site._registry[Section]
    with on_commit():
        admin.save_model(rf.post("/"), Section(name="Obituaries", slug="obituaries"), None, change=False)
    assert generation.current() > before


def test_conditional_gets_answer_304_whether_the_page_is_kept_or_rendered(client, story):
    from django.core.cache import cache

    etag = get(client, story.get_absolute_url())["ETag"]
    kept_copy = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    cache.clear()
    rendered = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    assert kept_copy.status_code == rendered.status_code == 304


def test_a_kept_page_shows_a_new_related_story_within_the_public_cache_time(client, time_machine, story):
    time_machine.move_to(timezone.now(), tick=False)
    get(client, story.get_absolute_url(), QUERY_STRING="b=0")  # keeps the related choice
    ArticleFactory(headline="Harbour dues rise", section=story.section, tags=["Ferries"])
    time_machine.shift(datetime.timedelta(seconds=40))
    navigation.forget()  # the menus are read afresh now: only the choice bounds the page
    page = get(client, story.get_absolute_url())  # stored, built on the choice made 40 s ago
    assert b"Harbour dues rise" not in page.content
    assert re.search(r"max-age=(19|20)\b", page["Cache-Control"]), page["Cache-Control"]
    time_machine.shift(datetime.timedelta(seconds=21))
    assert b"Harbour dues rise" in get(client, story.get_absolute_url()).content
