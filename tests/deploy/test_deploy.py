"""The newsroom as it is deployed, proven on loopback (docs/deploy.md, "The deploy test").

Varnish in front of two gunicorn app servers (A and B) sharing PostgreSQL, Redis and an
S3-compatible media store, with the task worker sending purges. Readers go through
Varnish; editors work on one app server directly, as staff bypass the cache anyway.
The tests run in order and share the stack; the last one kills the app servers.
"""

import gzip
import re
import tempfile
import time

import pytest

from tests.factories import jpeg_upload

from .conftest import FIGURES
from .stack import APP_A_PORT, APP_B_PORT, PASSWORD, VARNISH_PORT, Stack
from .web import Browser, fetch, fetch_url, wait_until

pytestmark = pytest.mark.deploy

PURGE_DEADLINE = 5  # seconds from an editor's save to readers seeing it through Varnish


@pytest.fixture(scope="module")
def stack():
    started = time.monotonic()
    # Not under pytest's private temporary folder: varnishd's child runs as another user.
    stack = Stack(tempfile.mkdtemp(prefix="newsroom-deploy-"))
    try:
        stack.ids = stack.up()
        FIGURES.append(f"stack started in {time.monotonic() - started:.1f} s (logs in {stack.workdir})")
        yield stack
    finally:
        stack.stop_all()


@pytest.fixture(scope="module")
def editor_on_a(stack):
    browser = Browser(APP_A_PORT)
    browser.log_in("edith", PASSWORD)
    return browser


def reader(path):
    """What a reader gets through Varnish (no cookies)."""
    return fetch(VARNISH_PORT, path)


def cached(path):
    """Fetch through Varnish until the page is stored, and return the stored copy."""
    first = reader(path)
    assert first.status == 200, (path, first.status)
    second = reader(path)
    assert second.header("X-Cache") == "HIT", (path, second.header("X-Cache"), second.header("Cache-Control"))
    return second


def visible_within(deadline, path, check):
    """Poll `path` through Varnish until `check(response)` holds; return (seconds, response)."""

    def attempt():
        response = reader(path)
        return response if check(response) else None

    return wait_until(attempt, timeout=deadline)


def story_form(stack, **fields):
    data = {
        "kicker": "",
        "headline": "",
        "dek": "",
        "dateline": "",
        "body": "<p>Text.</p>",
        "section": stack.ids["section"],
        "tags": "",
        "lead_photo": "",
        "lead_photo_caption": "",
        "status": "published",
        "publish_at_0": "",
        "publish_at_1": "",
        "slug": "",
        "seo_title": "",
        "seo_description": "",
        "canonical_url": "",
        "edit_version": "",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-position": "0",
        "bylines-0-contributor": stack.ids["reporter"],
        "bylines-0-role": "by",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def publish(stack, editor, **fields):
    """Publish a story through the admin on the editor's app server; return (id, public path)."""
    editor.open_form("/admin/articles/article/add/")
    data = {**story_form(stack, **fields), "_continue": "Save and continue editing"}
    response = editor.post("/admin/articles/article/add/", data)
    assert response.status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.text, re.S)
    story_id = int(re.search(r"/admin/articles/article/(\d+)/change/", response.header("Location")).group(1))
    return story_id, public_path(editor, story_id)


def public_path(editor, story_id):
    change = editor.get(f"/admin/articles/article/{story_id}/change/")
    return re.search(r'href="(/\d{4}/\d{2}/\d{2}/[^"]+/)"', change.text).group(1)


def edit(stack, editor, story_id, **fields):
    """Save the story form again with `fields` changed (same inline bylines, at the current version)."""
    page = editor.open_form(f"/admin/articles/article/{story_id}/change/")
    version = re.search(r'name="edit_version" value="(\d+)"', page.text).group(1)
    byline_id = re.search(r'name="bylines-0-id" value="(\d+)"', page.text).group(1)
    slug = re.search(r'name="slug"[^>]*value="([^"]*)"', page.text).group(1)
    headline = re.search(r'name="headline"[^>]*value="([^"]*)"', page.text).group(1)
    # As the browser sends it back: the publish date and time shown in the form.
    shown = dict(re.findall(r'name="(publish_at_[01])"[^>]*value="([^"]*)"', page.text))
    data = story_form(
        stack,
        headline=headline,
        **shown,
        slug=slug,
        edit_version=version,
        **{"bylines-INITIAL_FORMS": "1", "bylines-0-id": byline_id, "bylines-0-article": story_id},
    )
    data.update(fields)
    response = editor.post(f"/admin/articles/article/{story_id}/change/", data)
    assert response.status == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.text, re.S)


# --- 1. publishing, corrections, withdrawal and moves reach readers through Varnish ---------------------


def test_published_story_reaches_every_cached_list_within_five_seconds(stack, editor_on_a):
    lists = ["/", "/section/national/", "/feeds/latest/", "/sitemap-articles.xml"]
    for path in lists:
        cached(path)
    headline = "Council approves the harbour tunnel"
    story_id, path = publish(stack, editor_on_a, headline=headline)
    stack.story = (story_id, path)
    for page in lists:
        marker = path if page.startswith("/sitemap") else headline
        seconds, _ = visible_within(PURGE_DEADLINE, page, lambda r, m=marker: m in r.text)
        FIGURES.append(f"publish -> visible on {page} through Varnish: {seconds:.2f} s")


def test_correction_changes_the_cached_story_within_five_seconds(stack, editor_on_a):
    story_id, path = stack.story
    assert "harbour tunnel" in cached(path).text
    text = "An earlier version of this story gave the wrong length for the tunnel."
    edit(
        stack,
        editor_on_a,
        story_id,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": text,
            "corrections-0-created_at_0": time.strftime("%Y-%m-%d"),
            "corrections-0-created_at_1": time.strftime("%H:%M:%S"),
        },
    )
    seconds, _ = visible_within(PURGE_DEADLINE, path, lambda r: text in r.text)
    FIGURES.append(f"correction -> visible on the story through Varnish: {seconds:.2f} s")


def test_gzip_and_plain_copies_are_both_stored_and_both_purged(stack, editor_on_a):
    """Browsers get the page gzipped as stored; a client without gzip gets its own stored
    plain copy (no un-gzipping per request); a change purges both."""
    story_id, path = stack.story

    def gzipped():
        return fetch(VARNISH_PORT, path, headers={"Accept-Encoding": "gzip, deflate, br"})

    plain = cached(path)
    assert plain.header("Content-Encoding") == ""
    gzipped()
    packed = gzipped()
    assert (packed.header("X-Cache"), packed.header("Content-Encoding")) == ("HIT", "gzip")
    assert "harbour tunnel" in gzip.decompress(packed.body).decode()

    dek = "The tunnel opens in May, a year late."
    edit(stack, editor_on_a, story_id, dek=dek)
    visible_within(PURGE_DEADLINE, path, lambda r: dek in r.text)
    wait_until(lambda: dek in gzip.decompress(gzipped().body).decode(), timeout=PURGE_DEADLINE)


def test_slug_change_answers_301_at_the_old_address_within_five_seconds(stack, editor_on_a):
    story_id, old_path = stack.story
    cached(old_path)
    edit(stack, editor_on_a, story_id, slug="harbour-tunnel-approved")
    new_path = old_path.rsplit("/", 2)[0] + "/harbour-tunnel-approved/"
    seconds, moved = visible_within(PURGE_DEADLINE, old_path, lambda r: r.status == 301)
    assert moved.header("Location").endswith(new_path)
    assert reader(new_path).status == 200
    stack.story = (story_id, new_path)
    FIGURES.append(f"slug change -> 301 at the old address through Varnish: {seconds:.2f} s")


def test_withdrawn_story_answers_410_within_five_seconds(stack, editor_on_a):
    story_id, path = stack.story
    cached(path)
    edit(stack, editor_on_a, story_id, status="withdrawn")
    seconds, _ = visible_within(PURGE_DEADLINE, path, lambda r: r.status == 410)
    assert "harbour tunnel" not in reader("/").text.lower()
    FIGURES.append(f"withdrawal -> 410 through Varnish: {seconds:.2f} s")


# --- 2. photos: renditions from the public bucket, originals refused ---------------------------------


def test_photo_uploaded_on_a_is_served_to_readers_via_b_from_the_bucket(stack, editor_on_a):
    editor_on_a.open_form("/photos/upload/")
    upload = jpeg_upload("harbour.jpg", size=(1600, 1067))
    response = editor_on_a.post(
        "/photos/upload/",
        {"photographer": "Tomás Reyes", "source": "Continental Press", "credit": ""},
        files=[("images", "harbour.jpg", upload.read())],
    )
    assert response.status == 302, response.text[:1000]
    photo_id = int(re.search(r"ids=(\d+)", response.header("Location")).group(1))
    _, path = publish(stack, editor_on_a, headline="Tunnel boring machine arrives", lead_photo=photo_id)

    def rendition_urls():
        page = fetch(APP_B_PORT, path)  # a reader's request answered by app server B
        assert page.status == 200
        sources = set(re.findall(r'(?:src|srcset)="([^"]+)"', page.text))
        return {url.split()[0] for source in sources for url in source.split(",") if "/renditions/" in url}

    # The task worker makes the renditions; until then readers see the story without the photo.
    seconds, images = wait_until(rendition_urls, timeout=90, interval=0.5)
    bucket = f"{stack.s3.endpoint}/{stack.s3.public_bucket}/"
    assert all(url.startswith(bucket) for url in images), images
    for url in images:
        image = fetch_url(url)
        assert image.status == 200 and image.body[:2] in (b"\xff\xd8", b"RI"), url
    stack.photo_id = photo_id
    FIGURES.append(
        f"photo renditions made by the worker and served from the bucket in {seconds:.1f} s: "
        f"{len(images)} URLs, all 200"
    )


def test_original_is_refused_to_anonymous_readers_by_bucket_and_app(stack, editor_on_a):
    originals = stack.s3.keys(stack.s3.private_bucket)
    assert originals
    assert fetch_url(f"{stack.s3.endpoint}/{stack.s3.private_bucket}/{originals[0]}").status == 403
    anonymous = reader(f"/photos/{stack.photo_id}/original/")
    assert anonymous.status == 302 and "/accounts/login/" in anonymous.header("Location")
    staff = editor_on_a.get(f"/photos/{stack.photo_id}/original/")
    assert staff.status == 302 and "X-Amz-Signature=" in staff.header("Location")
    assert fetch_url(staff.header("Location")).status == 200


# --- 3. presence across app servers (the shared Redis cache) --------------------------------------------


def test_two_editors_on_different_app_servers_see_each_other(stack, editor_on_a):
    story_id, _ = publish(stack, editor_on_a, headline="Ferry timetable changes")
    editor_on_b = Browser(APP_B_PORT)
    editor_on_b.log_in("eddie", PASSWORD)
    change = f"/admin/articles/article/{story_id}/change/"
    assert "Also open" not in editor_on_a.get(change).text
    on_b = editor_on_b.get(change).text
    assert re.search(r"Also open:\s*Edith Editor", on_b)
    on_a = editor_on_a.get(change).text
    assert re.search(r"Also open:\s*Eddie Editor", on_a)


# --- 5. nothing private in the cache --------------------------------------------------------------


def test_cached_pages_hold_no_csrf_token_session_cookie_or_staff_element(stack, editor_on_a):
    logged_in = Browser(VARNISH_PORT)
    logged_in.cookies = dict(editor_on_a.cookies)
    for path in ["/", "/section/national/", "/feeds/latest/", "/search/?q=tunnel"]:
        staff_view = logged_in.get(path)
        assert staff_view.header("X-Cache") == "PASS", path
        assert "no-store" in staff_view.header("Cache-Control"), path
        page = cached(path)
        assert not page.set_cookies, path
        for private in (
            "csrfmiddlewaretoken",
            "csrftoken",
            "sessionid",
            "/admin/",
            "preview-banner",
            "Log out",
        ):
            assert private not in page.text, (path, private)


# --- 4. app servers dying -----------------------------------------------------------------------


def test_readers_keep_getting_pages_when_app_servers_die(stack):
    warm = ["/", "/section/national/", "/feeds/latest/"]
    for path in warm:
        cached(path)
    stack.kill("app_a")  # as if the machine died: no goodbye to Varnish
    killed = time.monotonic()
    statuses = []
    n = 0
    while stack.backend_health().get("app1") != "sick":
        assert time.monotonic() - killed < 30, "Varnish never noticed app server A was gone"
        n += 1
        # Uncached pages (a new search each time) must be fetched from an app server.
        for path in [*warm, f"/search/?q=failover{n}"]:
            statuses.append(reader(path).status)
    noticed = time.monotonic() - killed
    statuses += [reader(f"/search/?q=after{n}").status for n in range(10)]
    errors = sum(status != 200 for status in statuses)
    FIGURES.append(
        f"app server A killed: {len(statuses)} reader requests, {errors} errors; "
        f"Varnish marked A sick after {noticed:.1f} s"
    )
    assert errors == 0

    for path in warm:
        cached(path)
    stack.kill("app_b")
    down = [reader(path) for path in warm]
    uncached = reader("/search/?q=nobody-home")
    assert [page.status for page in down] == [200] * len(warm)
    assert uncached.status == 503 and "Back in a moment" in uncached.text
    assert uncached.header("Retry-After") == "30"
    FIGURES.append(
        f"both app servers killed: {len(warm)}/{len(warm)} cached pages 200, "
        "an uncached page 503 'Back in a moment'"
    )
