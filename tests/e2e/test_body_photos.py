"""A reader sees the library photos and the gallery an editor put in a story's body, with their
captions and credits, on a desktop and on a phone; a photo whose rights ran out is gone."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Gallery, GalleryPhoto
from tests.e2e.conftest import wait_until_true
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def story():
    section = SectionFactory(name="National", slug="national")
    sea_wall = PhotoFactory(size=(1200, 800), caption="Waves break over the sea wall.", credit="Ana Ruiz")
    ferry = PhotoFactory(size=(1200, 800), caption="A ferry waits out the storm.", credit="Lee Park")
    expired = PhotoFactory(
        size=(1200, 800),
        caption="A picture whose licence ran out.",
        credit="Old Agency",
        rights_expire_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    gallery = Gallery.objects.create(title="The storm in pictures")
    for position, n in enumerate(range(3), start=1):
        item = PhotoFactory(size=(1200, 800), caption=f"Storm scene {n + 1}.", credit=f"Photographer {n + 1}")
        GalleryPhoto.objects.create(gallery=gallery, photo=item, position=position)
    body = (
        "<p>The storm reached the coast at dawn.</p>"
        f'<figure data-photo-id="{sea_wall.pk}"></figure>'
        "<p>Ferries stayed in port all day.</p>"
        f'<figure data-photo-id="{expired.pk}"></figure>'
        f'<figure data-photo-id="{ferry.pk}">'
        "<figcaption>The 9:15 ferry, which never left.</figcaption></figure>"
        "<p>By evening the wind had dropped.</p>"
        f'<figure data-gallery-id="{gallery.pk}"></figure>'
    )
    return ArticleFactory(section=section, headline="Storm shuts the harbour", body=body)


@pytest.mark.parametrize("width", [1280, 390])
def test_reader_sees_body_photos_and_gallery(live_server, page, story, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    photos = page.locator(".article-body figure.body-photo")
    expect(photos).to_have_count(2)
    expect(photos.nth(0).locator(".caption")).to_have_text("Waves break over the sea wall.")
    expect(photos.nth(0).locator(".credit")).to_have_text("Ana Ruiz")
    expect(photos.nth(1).locator(".caption")).to_have_text("The 9:15 ferry, which never left.")
    expect(photos.nth(1).locator(".credit")).to_have_text("Lee Park")
    assert "licence ran out" not in page.content() and "Old Agency" not in page.content()
    for image in photos.locator("img").all():
        image.scroll_into_view_if_needed()
        image.evaluate("img => img.decode()")
        assert image.evaluate("img => img.naturalWidth") > 0

    gallery = page.locator(".article-body .gallery")
    expect(gallery.locator(".gallery-item")).to_have_count(3)
    expect(gallery.locator(".gallery-item").first.locator(".credit")).to_have_text("Photographer 1")
    # One photo per view; the arrow keys scroll the focused gallery to the next one.
    items = gallery.locator(".gallery-items")
    items.scroll_into_view_if_needed()
    assert items.evaluate("list => list.scrollWidth > list.clientWidth")
    items.focus()
    page.keyboard.press("ArrowRight")
    wait_until_true(page, "document.querySelector('.gallery-items').scrollLeft > 0", timeout=3)
    expect(gallery.locator(".gallery-item").nth(1)).to_be_in_viewport(ratio=0.9)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"body-photos-{width}.png", full_page=True)
    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_gallery_viewer_works_from_the_keyboard(live_server, page, story, width):
    """The viewer's buttons and keys move one photo at a time, and the counter says where."""
    lead = Gallery.objects.create(title="Harbour before the storm")
    for position in (1, 2):
        photo = PhotoFactory(size=(1200, 800), caption=f"Calm harbour {position}.", credit="Ana Ruiz")
        GalleryPhoto.objects.create(gallery=lead, photo=photo, position=position)
    story.lead_gallery = lead
    story.save()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}{story.get_absolute_url()}")

    # The lead gallery stands before the body, with its own viewer.
    lead_gallery = page.locator(".gallery-lead")
    expect(lead_gallery.locator(".gallery-item")).to_have_count(2)
    expect(lead_gallery.locator(".gallery-counter")).to_have_text("1 of 2")
    assert page.locator(".gallery-lead + .article-body").count() == 1
    page.screenshot(path=ARTIFACTS / f"lead-gallery-{width}.png")

    gallery = page.locator(".article-body .gallery")
    counter = gallery.locator(".gallery-counter")
    previous = gallery.get_by_role("button", name="Previous photo in The storm in pictures")
    following = gallery.get_by_role("button", name="Next photo in The storm in pictures")
    expect(counter).to_have_text("1 of 3")
    expect(counter).to_have_attribute("aria-live", "polite")
    expect(previous).to_have_attribute("aria-disabled", "true")

    # Tab reaches the photos, then the buttons; each shows where the focus is.
    items = gallery.locator(".gallery-items")
    items.focus()
    page.keyboard.press("Tab")
    expect(previous).to_be_focused()
    page.keyboard.press("Tab")
    expect(following).to_be_focused()
    assert following.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(counter).to_have_text("2 of 3")
    expect(gallery.locator(".gallery-item").nth(1)).to_be_in_viewport(ratio=0.9)
    page.keyboard.press("Space")
    expect(counter).to_have_text("3 of 3")
    expect(following).to_have_attribute("aria-disabled", "true")
    expect(following).to_be_focused()
    page.keyboard.press("Space")
    expect(counter).to_have_text("3 of 3")

    # On the list itself: arrows one photo, Home and End to either end.
    items.focus()
    page.keyboard.press("Home")
    expect(counter).to_have_text("1 of 3")
    expect(gallery.locator(".gallery-item").nth(0)).to_be_in_viewport(ratio=0.9)
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text("2 of 3")
    page.keyboard.press("End")
    expect(counter).to_have_text("3 of 3")
    expect(gallery.locator(".gallery-item").nth(2)).to_be_in_viewport(ratio=0.9)
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text("2 of 3")
    expect(gallery.locator(".gallery-item").nth(1)).to_be_in_viewport(ratio=0.9)
    # A swipe scrolls the list itself: the counter follows the photo in view.
    items.evaluate("list => list.scrollTo({left: list.scrollWidth, behavior: 'instant'})")
    expect(counter).to_have_text("3 of 3")
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text("2 of 3")
    expect(gallery.locator(".gallery-item").nth(1)).to_be_in_viewport(ratio=0.9)
    gallery.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / f"gallery-viewer-{width}.png")
    assert page.console_errors == []
