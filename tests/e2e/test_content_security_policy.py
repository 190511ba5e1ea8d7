"""Every kind of page runs in Chromium under its Content-Security-Policy with no violation.

The browser reports each blocked script, style, image or frame as a `securitypolicyviolation`
event; the test listens from before the page's first byte and fails on any.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from articles.stories import preview
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def newsroom():
    photo = PhotoFactory(caption="Cars cross the harbour bridge.")
    story = ArticleFactory(
        headline="Harbour bridge reopens",
        tags=["Bridges"],
        lead_photo=photo,
        body='<p>The bridge reopened.</p><figure><img src="/media/x.jpg" alt=""></figure>',
    )
    person = ContributorFactory(name="Amara Okafor", headshot=PhotoFactory())
    BylineFactory(article=story, contributor=person)
    CorrectionFactory(article=story)
    draft = ArticleFactory(draft=True, headline="Draft budget story")
    return {"story": story, "person": person, "photo": photo, "draft": draft}


def signed_in(browser, live_server, username, group):
    """A browser context with a staff session, as after logging in."""
    from django.test import Client

    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


def violations_on(context, url, *, settle=None):
    page = context.new_page()
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda m: "Content Security Policy" in m.text and console.append(m.text))
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    if settle:
        settle(page)
    policy = response.headers.get("content-security-policy", "")
    found = page.evaluate("window.__cspViolations") + console
    page.close()
    return response.status, policy, found


def assert_clean(context, url, *, settle=None, status=200):
    got, policy, found = violations_on(context, url, settle=settle)
    assert got == status, url
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, (url, policy)
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], (url, policy)
    assert found == [], (url, found)
    return policy


def test_public_pages_run_with_no_violation(browser, live_server, newsroom):
    story, person = newsroom["story"], newsroom["person"]
    context = browser.new_context()
    urls = [
        "/",
        f"/section/{story.section.slug}/",
        story.get_absolute_url(),  # JSON-LD data block included
        "/tag/bridges/",
        f"/people/{person.slug}/",
        "/search/?q=bridge",
        "/corrections/",
        preview.share_url(newsroom["draft"]),
    ]
    for path in urls:
        policy = assert_clean(context, live_server.url + path)
        assert "style-src 'self'" in policy and "unsafe-inline" not in policy, (path, policy)
        assert "img-src 'self';" in policy + ";", (path, policy)
    # The login pages share the staff pages' design (Bootstrap draws its icons as data: images).
    for path in ("/accounts/login/", "/accounts/password_reset/"):
        assert "unsafe-inline" not in assert_clean(context, live_server.url + path)
    context.close()


def test_photo_desk_runs_with_no_violation(browser, live_server, newsroom):
    context = signed_in(browser, live_server, "pat", "Photo editor")
    photo = newsroom["photo"]
    for path in ("/photos/", "/photos/upload/", f"/photos/{photo.pk}/", "/account/two_factor/"):
        policy = assert_clean(context, live_server.url + path)
        assert "unsafe-inline" not in policy, (path, policy)

    def click_focal_point(page):
        page.click("#focal-preview img")
        assert page.is_visible("#focal-mark")

    assert_clean(context, f"{live_server.url}/photos/{photo.pk}/", settle=click_focal_point)
    context.close()


def test_enrolment_qr_code_shows_with_no_violation(browser, live_server):
    context = signed_in(browser, live_server, "riley", "Reporter")

    def go_to_qr_code(page):
        page.click("button[type=submit].btn-primary")
        page.wait_for_selector("img[src*=qrcode]")
        assert page.evaluate("document.querySelector('img[src*=qrcode]').naturalWidth") > 0

    assert_clean(context, f"{live_server.url}/account/two_factor/setup/", settle=go_to_qr_code)
    context.close()


def test_admin_and_staff_preview_run_with_no_violation(browser, live_server, newsroom):
    context = signed_in(browser, live_server, "edith", "Editor")
    story = newsroom["story"]

    def editor_ready(page):
        page.wait_for_selector(".field-body .ProseMirror[contenteditable=true]")

    pages = [
        ("/admin/", None),
        ("/admin/articles/article/", None),
        (f"/admin/articles/article/{story.pk}/change/", editor_ready),
        ("/admin/articles/article/add/", editor_ready),
        (f"/admin/articles/article/{story.pk}/history/", None),
        ("/admin/articles/photo/", None),
        (f"/admin/articles/photo/{newsroom['photo'].pk}/change/", None),
        ("/admin/axes/accessattempt/", None),
        (f"/preview/{newsroom['draft'].pk}/", None),
    ]
    for path, settle in pages:
        assert_clean(context, live_server.url + path, settle=settle)
    context.close()


def test_violations_are_reported_to_the_site(client):
    report = '{"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline"}}'
    response = client.post("/csp-report/", report, content_type="application/csp-report")
    assert response.status_code == 204
    assert client.post("/csp-report/", "not json", content_type="application/csp-report").status_code == 400
    assert client.get("/csp-report/").status_code == 405
