import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
BROWSER_REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIPPED_BROWSER_NOTICE = (
    "Browser tests SKIPPED: Chromium is not installed (apt-get install chromium). "
    "CI runs them with REQUIRE_BROWSER=1, where a missing browser is a failure."
)


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM or BROWSER_REQUIRED:
        return
    skip = pytest.mark.skip(reason=SKIPPED_BROWSER_NOTICE)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not HAVE_CHROMIUM and not BROWSER_REQUIRED:
        terminalreporter.write_sep("!", SKIPPED_BROWSER_NOTICE, yellow=True, bold=True)


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path, monkeypatch):
    """Each test writes photos to its own folders on disk, public and private."""
    from django.core.files.storage import storages

    from articles.models import Photo

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_ORIGINALS_ROOT = tmp_path / "originals"
    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {**settings.STORAGES["originals"], "OPTIONS": {"location": tmp_path / "originals"}},
    }
    # A FileField resolves a callable storage once, at import: point it at this test's folder.
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", storages["originals"])
    return tmp_path


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, request, monkeypatch):
    """Tasks run when enqueued, so a test sees their effect; tests of the worker override this.

    A test wrapped in a transaction never commits, so tasks queued for "on commit" are queued
    at once there; transactional tests (live_server, transactional_db) keep the real timing.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        monkeypatch.setattr("articles.queue.on_commit", lambda callback, using=None, robust=False: callback())


@pytest.fixture(autouse=True)
def second_factor_optional(settings):
    """Most tests sign staff in with force_login; tests of two-factor sign-in require it again."""
    settings.NEWSROOM_2FA_REQUIRED_GROUPS = []


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Login tests try many passwords; production's slow hasher would make each take a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache outlives a test's database transaction: start each test with it empty (and
    the navigation each process keeps beside it)."""
    from django.core.cache import cache

    from articles.caching import kept
    from articles.stories import navigation

    cache.clear()
    navigation.forget()
    kept.try_again()


@pytest.fixture(scope="session")
def browser():
    if not HAVE_CHROMIUM:
        pytest.fail(f"REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that records console errors in `page.console_errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def photo_factory(db):
    from tests.factories import PhotoFactory

    return PhotoFactory


# --- staff (tests.factories.staff_user makes others) --------------------------------------------


@pytest.fixture
def editor(client):
    """An editor, signed in on `client` (a test signs someone else in with `client.force_login`)."""
    from tests.factories import staff_user

    user = staff_user("edith", "Editor", first_name="Edith")
    client.force_login(user)
    return user


@pytest.fixture
def reporter():
    """A reporter with a contributor record, so stories can carry their byline."""
    from tests.factories import ContributorFactory, staff_user

    user = staff_user("riley", "Reporter", first_name="Riley")
    ContributorFactory(name="Riley Reporter", user=user)
    return user


# --- the photo desk (helpers in tests/photo_desk.py) ---------------------------------------------


@pytest.fixture
def originals_dir(media_storage):
    """This test's private originals folder (media_storage points Photo.original at it)."""
    return media_storage / "originals"


@pytest.fixture
def media_dir(media_storage):
    return media_storage / "media"


@pytest.fixture
def photo_editor():
    """The photo desk's user: in the Photo editor group, without access to the admin."""
    from tests.factories import staff_user

    return staff_user("pat", "Photo editor", is_staff=False, first_name="Pat")


@pytest.fixture
def desk(client, photo_editor):
    client.force_login(photo_editor)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file, as production does: concurrent requests then queue for the write
    lock (WAL, IMMEDIATE transactions) instead of failing on a shared in-memory database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")
