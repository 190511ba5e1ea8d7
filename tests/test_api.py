"""The read API: ninjs shape, filters, keyset paging, caching headers, hostile input.

Run on PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_api pytest tests/test_api.py
"""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Byline
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def test_story_is_ninjs_with_bylines_subjects_photo_and_corrections(client):
    photo = PhotoFactory(copyright_notice="© Continental Press")
    story = ArticleFactory(
        headline="Ferry strike halts crossings",
        kicker="Analysis",
        with_photo=False,
        lead_photo=photo,
        lead_photo_caption="Passengers wait at the quay.",
        tags=["Ferries"],
    )
    reporter = ContributorFactory(name="Ana Lima")
    BylineFactory(article=story, contributor=reporter, role=Byline.Role.BY)
    BylineFactory(article=story, contributor=ContributorFactory(name="Bo Berg"), role=Byline.Role.PHOTOGRAPHS)
    correction = CorrectionFactory(article=story, text="The strike began on Monday.")

    ninjs = get_json(client, f"/api/v1/stories/{story.pk}")

    assert ninjs["uri"] == f"http://testserver/api/v1/stories/{story.pk}"
    assert ninjs["type"] == "text" and ninjs["pubstatus"] == "usable"
    assert ninjs["standard"]["version"] == "2.1"
    assert {"role": "main", "contenttype": "text/plain", "value": story.headline} in ninjs["headlines"]
    assert {"role": "kicker", "contenttype": "text/plain", "value": "Analysis"} in ninjs["headlines"]
    assert ninjs["descriptions"][0]["value"] == story.dek
    assert ninjs["bodies"][0]["value"] == story.body and ninjs["bodies"][0]["contenttype"] == "text/html"
    assert ninjs["by"] == "By Ana Lima"
    assert [(p["name"], p["rel"]) for p in ninjs["people"]] == [
        ("Ana Lima", "by"),
        ("Bo Berg", "photographs"),
    ]
    assert [(s["rel"], s["name"]) for s in ninjs["subjects"]] == [("section", "National"), ("tag", "Ferries")]
    [picture] = ninjs["associations"]
    assert picture["type"] == "picture" and picture["creditline"] == photo.credit
    assert picture["copyrightnotice"] == "© Continental Press"
    assert {
        "role": "caption",
        "contenttype": "text/plain",
        "value": "Passengers wait at the quay.",
    } in picture["descriptions"]
    assert {"role": "alt", "contenttype": "text/plain", "value": photo.alt_text} in picture["descriptions"]
    widths = {r["width"] for r in picture["renditions"]}
    assert widths and all(r["href"].startswith("http://testserver/media/") for r in picture["renditions"])
    assert ninjs["corrections"][0]["text"] == correction.text
    story = Article.objects.for_article_page().get(pk=story.pk)
    versioncreated = datetime.datetime.fromisoformat(ninjs["versioncreated"])
    # JSON times carry milliseconds
    modified = story.reader_modified_at
    assert versioncreated == modified.replace(microsecond=modified.microsecond // 1000 * 1000)
    story.refresh_from_db()
    assert story.reader_modified_at == correction.created_at
    assert ninjs["url"] == f"http://testserver{story.get_absolute_url()}"


def test_photo_whose_rights_expired_is_left_out(client):
    story = ArticleFactory(lead_photo=PhotoFactory(rights_expire_on=datetime.date(2020, 1, 1)))
    assert get_json(client, f"/api/v1/stories/{story.pk}")["associations"] == []


def test_withdrawn_story_answers_410_and_unpublished_404(client):
    withdrawn = ArticleFactory(withdrawn=True)
    draft = ArticleFactory(draft=True)
    assert client.get(f"/api/v1/stories/{withdrawn.pk}").status_code == 410
    response = client.get(f"/api/v1/stories/{draft.pk}")
    assert response.status_code == 404 and response.json() == {"detail": "No published story has this id."}


def test_story_found_by_its_public_path_and_by_an_old_one(client):
    story = ArticleFactory(slug="ferry-strike")
    old_path = story.get_absolute_url()
    assert get_json(client, "/api/v1/stories/by-path", path=old_path)["id"] == story.pk
    assert (
        get_json(client, "/api/v1/stories/by-path", path=f"https://news.example.org{old_path}")["id"]
        == story.pk
    )
    story.slug = "ferry-strike-ends"
    story.save()
    assert get_json(client, "/api/v1/stories/by-path", path=old_path)["id"] == story.pk
    assert client.get("/api/v1/stories/by-path", {"path": "/section/national/"}).status_code == 404
    assert client.get("/api/v1/stories/by-path", {"path": "/2026/02/31/x/"}).status_code == 404


def test_cursor_walks_every_story_once_while_new_ones_are_published(client):
    stories = [ArticleFactory(publish_at=ago(hours=1)) for _ in range(5)]  # one publish time: the id decides
    stories += [ArticleFactory(publish_at=ago(hours=2 + n)) for n in range(4)]
    seen, url = [], "/api/v1/stories?limit=2"
    while url:
        page = get_json(client, url)
        seen += [item["id"] for item in page["items"]]
        ArticleFactory(publish_at=timezone.now())  # newer than everything: must not shift the walk
        url = page["next"]
    expected = sorted(stories, key=lambda a: (a.publish_at, a.pk), reverse=True)
    assert seen == [story.pk for story in expected]


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "", "eyJhIjoxfQ:abc:def", "x" * 400, "\x00", "[1,2]"],
    ids=["nonsense", "empty", "forged", "long", "nul", "json"],
)
def test_bad_cursor_answers_400_with_a_message(client, cursor):
    ArticleFactory()
    response = client.get("/api/v1/stories", {"cursor": cursor})
    if cursor == "":
        assert response.status_code == 200  # an empty cursor means the first page
        return
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_cursor_of_one_list_is_refused_by_another(client):
    for _ in range(3):
        CorrectionFactory()
    cursor = get_json(client, "/api/v1/corrections", limit=1)["next_cursor"]
    response = client.get("/api/v1/stories", {"cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()["detail"]


def test_filters_by_section_tag_contributor_and_time(client):
    business = SectionFactory(name="Business", slug="business")
    person = ContributorFactory(name="Cai Ng")
    in_business = ArticleFactory(section=business, publish_at=ago(days=3))
    tagged = ArticleFactory(tags=["Ferries"], publish_at=ago(days=2))
    bylined = ArticleFactory(publish_at=ago(days=1))
    BylineFactory(article=bylined, contributor=person)

    def ids(**params):
        return [item["id"] for item in get_json(client, "/api/v1/stories", **params)["items"]]

    assert ids(section="business") == [in_business.pk]
    assert ids(tag="ferries") == [tagged.pk]
    assert ids(contributor=person.slug) == [bylined.pk]
    assert ids(published_after=ago(days=2, hours=1).isoformat()) == [bylined.pk, tagged.pk]
    assert ids(published_before=ago(days=2, hours=1).isoformat()) == [in_business.pk]
    assert ids(section="no-such-section") == []


def test_slug_filters_take_any_script_and_refuse_spaces_and_control_characters(client):
    """What the OpenAPI document says a slug may be is what the server accepts."""
    islands = SectionFactory(name="Ísafjörður", slug="ísafjörður")
    story = ArticleFactory(section=islands)
    found = get_json(client, "/api/v1/stories", section="ísafjörður")["items"]
    assert [item["id"] for item in found] == [story.pk]
    assert client.get("/api/v1/stories", {"contributor": "jª"}).status_code == 200
    for bad in ("two words", "nul\x00", "a/b", "tab\t"):
        response = client.get("/api/v1/stories", {"section": bad})
        assert response.status_code == 422, bad
        assert "section" in response.content.decode()


def test_updated_since_finds_stories_edited_or_corrected_since(client, time_machine):
    time_machine.move_to(ago(days=5), tick=False)
    untouched, edited, corrected = (ArticleFactory(publish_at=ago(days=1)) for _ in range(3))
    time_machine.move_to(ago(days=-4), tick=False)  # four days later
    since = timezone.now()
    time_machine.shift(datetime.timedelta(minutes=5))
    edited.headline = "Ferry strike ends"
    edited.save()
    CorrectionFactory(article=corrected)
    found = [
        item["id"] for item in get_json(client, "/api/v1/stories", updated_since=since.isoformat())["items"]
    ]
    assert sorted(found) == sorted([edited.pk, corrected.pk])
    assert untouched.pk not in found


def test_list_answers_in_constant_queries(client, django_assert_num_queries):
    def add_stories(count):
        for _ in range(count):
            story = ArticleFactory(with_photo=True, tags=["Ferries", "Strikes"])
            BylineFactory(article=story)
            BylineFactory(article=story)
            CorrectionFactory(article=story)

    # the page, then renditions, bylines with contributors, tags, corrections
    add_stories(2)
    with django_assert_num_queries(5):
        assert len(get_json(client, "/api/v1/stories")["items"]) == 2
    add_stories(10)
    with django_assert_num_queries(5):
        assert len(get_json(client, "/api/v1/stories")["items"]) == 12


def test_responses_are_cacheable_answer_conditional_gets_and_name_their_keys(client, settings):
    settings.NEWSROOM_PUBLIC_CACHE_SECONDS = 90
    story = ArticleFactory(tags=["Ferries"])
    person = ContributorFactory()
    BylineFactory(article=story, contributor=person)
    response = client.get("/api/v1/stories")
    assert "max-age=90" in response["Cache-Control"] and "public" in response["Cache-Control"]
    keys = response["xkey"].split()
    tag = story.tags.get()
    assert {"api", f"article-{story.pk}", f"section-{story.section_id}", f"contributor-{person.pk}"} <= set(
        keys
    )
    assert f"tag-{tag.pk}" in keys
    again = client.get("/api/v1/stories", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    story.headline = "Changed"
    story.save()
    assert client.get("/api/v1/stories", headers={"if-none-match": response["ETag"]}).status_code == 200


def test_sections_contributors_tags_and_corrections_list_what_readers_can_see(client):
    story = ArticleFactory(tags=["Ferries"])
    person = ContributorFactory(name="Dee Ray")
    BylineFactory(article=story, contributor=person)
    correction = CorrectionFactory(article=story)
    assert [s["slug"] for s in get_json(client, "/api/v1/sections")["items"]] == ["national"]
    assert [p["name"] for p in get_json(client, "/api/v1/contributors")["items"]] == ["Dee Ray"]
    assert [t["slug"] for t in get_json(client, "/api/v1/tags")["items"]] == ["ferries"]
    [entry] = get_json(client, "/api/v1/corrections")["items"]
    assert entry["id"] == correction.pk and entry["story"]["id"] == story.pk


def test_openapi_document_and_docs_page(client):
    document = get_json(client, "/api/v1/openapi.json")
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/corrections"} <= set(document["paths"])
    assert "400" in document["paths"]["/api/v1/stories"]["get"]["responses"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


HOSTILE = [
    "/api/v1/stories?limit=0",
    "/api/v1/stories?limit=100000",
    "/api/v1/stories?limit=abc",
    "/api/v1/stories?section=%00",
    "/api/v1/stories?tag=' OR 1=1 --",
    "/api/v1/stories?contributor=" + "a" * 5000,
    "/api/v1/stories?published_after=yesterday",
    "/api/v1/stories?published_after=0001-01-01T00:00:00%2B05:00",
    "/api/v1/stories?published_before=9999-12-31T23:59:59-05:00",
    "/api/v1/stories?updated_since=99999999999999999999",
    "/api/v1/stories?cursor=%ED%A0%80%FF",
    "/api/v1/stories/0",
    "/api/v1/stories/99999999999999999999999",
    "/api/v1/stories/-1",
    "/api/v1/stories/abc",
    "/api/v1/stories/by-path",
    "/api/v1/stories/by-path?path=%00",
    "/api/v1/stories/by-path?path=/99999/99/99/x/",
    "/api/v1/stories/by-path?path=http://[::1",
    "/api/v1/contributors?cursor=abc",
    "/api/v1/tags?limit=-5",
    "/api/v1/corrections?cursor=" + "%FF" * 100,
    "/api/v1/nowhere",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_input_gets_a_clear_client_error(client, url):
    ArticleFactory()
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    if response["Content-Type"] == "application/json":
        assert response.json()["detail"]
