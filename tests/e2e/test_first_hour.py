"""The first hour of a photo editor, a reporter and an editor, as issue 16 walked it in Chromium.

A photo editor uploads a wire photo and fixes its credit on the describe step; a reporter
writes a wire story (headline, dek, dateline, eleven pasted paragraphs, lead photo), adds a
new contributor from the byline row's "+" and sends it for review with the button; an editor
previews changes that are not saved yet, then publishes now with an empty publish time.

Screenshots at 1280 and 390 px wide go to test-artifacts/first-hour/ (not committed).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from articles.models import Article, Photo
from tests.e2e.conftest import log_in, log_in_at, wait_until_true
from tests.factories import SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOPPER = Path(__file__).resolve().parent.parent / "photos" / "grace_hopper.jpg"
SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "first-hour"
PARAGRAPHS = [
    "WASHINGTON (Continental Press) — The Senate approved the transit bill late on Thursday.",
    *(f"Paragraph {n} of the wire copy, with a quote: “We listened,” a senator said." for n in range(2, 12)),
]


def staff(username, group, **names):
    user = UserFactory(username=username, is_staff=group != "Photo editor", **names)
    user.groups.add(Group.objects.get(name=group))
    return user


def shoot(page, name):
    """A full-page screenshot at desktop and phone widths, then back to desktop."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def paste_html(page, selector, html):
    """Paste as a browser does: a paste event carrying text/html, which the editor reads."""
    page.locator(selector).click()
    page.evaluate(
        """([selector, html]) => {
            const target = document.querySelector(selector);
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", html.replace(/<[^>]+>/g, "\\n"));
            const paste = {clipboardData: data, bubbles: true, cancelable: true};
            target.dispatchEvent(new ClipboardEvent("paste", paste));
        }""",
        [selector, html],
    )


def test_first_hour(live_server, page):
    base = live_server.url
    staff("pat", "Photo editor", first_name="Pat")
    staff("riley", "Reporter", first_name="Riley")
    staff("edith", "Editor", first_name="Edith")
    SectionFactory(name="National", slug="national")

    # --- the photo editor uploads a wire photo and fixes its credit -------------------------
    log_in_at(page, f"{base}/photos/upload/", "pat")
    page.wait_for_selector("#photo-upload-form")
    page.set_input_files("input[name=images]", str(HOPPER))
    page.fill("#id_photographer", "Jane Doe")
    page.fill("#id_source", "Continental Press")
    page.click("#photo-upload-form [type=submit]")
    page.wait_for_selector("#photo-describe-form")
    readers = page.locator("[data-credit-readers]")
    built = "(built from the photographer and the agency)"
    assert readers.inner_text() == f"Readers see: Jane Doe / Continental Press {built}"
    page.fill("#id_form-0-caption", "Rear Admiral Grace Hopper, who led work on the first compilers.")
    page.fill("#id_form-0-alt_text", "A woman in a naval uniform smiles at the camera.")
    page.check("#id_form-0-is_file_photo")
    assert readers.inner_text() == f"Readers see: Jane Doe / Continental Press file {built}", (
        "the line follows the file flag while typing"
    )
    assert page.input_value("#id_form-0-credit") == "Jane Doe / Continental Press file"
    shoot(page, "1-describe")
    page.click("#photo-describe-form button[type=submit]")
    page.wait_for_selector("text=Photo details saved.")
    photo = Photo.objects.get()
    assert (photo.credit, photo.is_file_photo) == ("Jane Doe / Continental Press file", True)
    assert page.console_errors == []

    # --- the reporter writes the story and sends it for review ------------------------------
    log_in(page, base, "riley")
    page.click("#newsroom-desk >> text=New story")
    page.wait_for_selector("#id_headline")
    page.fill("#id_headline", "Senate passes transit bill after all-night session")
    page.fill("#id_dek", "The bill funds " + "new bus lanes, rail repairs and safer crossings; " * 5)
    page.fill("#id_dateline", "WASHINGTON")
    page.select_option("#id_section", label="National")
    body_editor = ".field-body .ProseMirror[contenteditable=true]"
    paste_html(page, body_editor, "".join(f"<p>{text}</p>" for text in PARAGRAPHS))
    wait_until_true(page, f"document.querySelectorAll('{body_editor} p').length >= 11")

    page.click(".field-lead_photo .select2-selection")
    page.fill(".select2-search__field", "Hopper")
    page.click(".select2-results__option .newsroom-photo-option")

    with page.expect_popup() as opened:
        page.click("#add_id_bylines-0-contributor")
    popup = opened.value
    popup.wait_for_selector("#id_name")
    popup.fill("#id_name", "Lena Park")
    popup.click("input[name=_save]")
    popup.wait_for_event("close")
    assert page.locator("#id_bylines-0-contributor option:checked").inner_text() == "Lena Park"
    shoot(page, "2-reporter-form")

    page.locator("input[name=_send_for_review]").first.click()
    page.wait_for_selector(".messagelist")
    said = page.locator(".messagelist").inner_text()
    assert "Sent to the editors for review." in said
    assert "started with the dateline “WASHINGTON —” again" in said
    story = Article.objects.get()
    assert story.status == "review" and story.lead_photo == photo
    assert [b.contributor.name for b in story.bylines.all()] == ["Lena Park"]
    assert story.body.count("<p>") == 11 and "WASHINGTON" not in story.body
    page.click("#logout-form button")

    # --- the editor previews unsaved changes and publishes now --------------------------------
    log_in(page, base, "edith")
    page.click("#newsroom-desk >> text=Senate passes transit bill")
    page.wait_for_selector("#id_headline")
    page.fill("#id_headline", "Senate passes transit bill at dawn")
    with page.expect_popup() as opened:
        page.locator("button[name=_preview]").first.click()
    preview = opened.value
    preview.wait_for_selector(".article-headline")
    assert preview.locator(".article-headline").inner_text() == "Senate passes transit bill at dawn"
    assert preview.locator(".article-body p").count() == 11
    assert preview.locator(".article-body").inner_text().count("WASHINGTON") == 1
    assert "Jane Doe / Continental Press file" in preview.locator(".lead-photo .credit").text_content()
    shoot(preview, "3-preview-unsaved")
    preview.close()
    story.refresh_from_db()
    assert story.headline == "Senate passes transit bill after all-night session", "preview saved nothing"

    # "Schedule…" with no time says what is missing, at the top, with a link to the box.
    page.locator("input[name=_schedule]").first.click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "To schedule the story, enter a date and time in the future" in summary.inner_text()
    summary.locator("a[href='#id_publish_at_0']").click()
    assert page.evaluate("document.activeElement.id") == "id_publish_at_0"
    shoot(page, "4-schedule-needs-a-time")

    assert page.locator("#id_publish_at_0").input_value() == ""
    page.locator("input[name=_publish_now]").first.click()
    page.wait_for_selector(".messagelist")
    assert "Published now at" in page.locator(".messagelist").inner_text()
    shoot(page, "5-published-message")
    story.refresh_from_db()
    assert story.is_public and story.headline == "Senate passes transit bill at dawn"

    page.goto(f"{base}{story.get_absolute_url()}")
    body = page.locator(".article-body")
    assert body.locator("p").count() == 11 and body.inner_text().count("WASHINGTON —") == 1
    assert "Jane Doe / Continental Press file" in page.locator(".lead-photo .credit").text_content()
    assert "Lena Park" in page.locator(".bylines").inner_text()
    shoot(page, "6-published")
    assert page.console_errors == []
