"""An editor puts two library photos and a gallery into a story body with the editor's buttons;
the body stores references, the editor keeps them on reload, and a reader sees the photos with
their captions and credits on a desktop and on a phone."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import storages
from playwright.sync_api import expect

from articles.models import Article, Gallery, GalleryPhoto, Photo
from articles.stories.body_media import references
from tests.factories import ArticleFactory, ContributorFactory, PhotoFactory, SectionFactory, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery staple"
BODY = ".field-body .ProseMirror[contenteditable=true]"


@pytest.fixture(autouse=True)
def originals_dir(media_storage, monkeypatch):
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", storages["originals"])


@pytest.fixture
def newsroom():
    editor = staff_user("editor", "Editor")
    ContributorFactory(user=editor, name="Mara Quinn")
    harbour = PhotoFactory(size=(1200, 800), caption="Waves break over the harbour wall.", credit="Ana Ruiz")
    ferry = PhotoFactory(size=(1200, 800), caption="The ferry terminal stands empty.", credit="Lee Park")
    PhotoFactory(size=(1200, 800), caption="A council meeting in March.", credit="Desk file")
    gallery = Gallery.objects.create(title="The storm in pictures")
    for position in (1, 2, 3):
        photo = PhotoFactory(
            size=(1200, 800), caption=f"Storm scene {position}.", credit=f"Photographer {position}"
        )
        GalleryPhoto.objects.create(gallery=gallery, photo=photo, position=position)
    story = ArticleFactory(
        section=SectionFactory(name="National", slug="national"),
        headline="Storm shuts the harbour",
        body=(
            "<p>The storm reached the coast at dawn.</p><p>Ferries stayed in port all day.</p>"
            "<p>By evening the wind had dropped.</p>"
        ),
    )
    return {"editor": editor, "harbour": harbour, "ferry": ferry, "gallery": gallery, "story": story}


def log_in(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_auth-username", "editor")
    page.fill("#id_auth-password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("#newsroom-desk")


def put_cursor_after(page, text):
    paragraph = page.locator(f"{BODY} > p", has_text=text)
    paragraph.click()
    page.keyboard.press("End")


def insert_from_library(page, button, search, pick, caption=None):
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.locator("dialog.newsroom-media-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("searchbox").fill(search)
    expect(dialog.get_by_role("status")).to_have_text("1 found. Pick one, then Insert.")
    option = dialog.locator(".newsroom-media-option", has_text=pick)
    expect(option).to_have_count(1)
    # Every photo offered shows its square thumbnail.
    assert "/renditions/" in option.locator("img").get_attribute("src")
    option.click()
    expect(option).to_have_attribute("aria-pressed", "true")
    if caption is not None:
        dialog.get_by_label("Caption for this story").fill(caption)
        page.screenshot(path=ARTIFACTS / "body-media-picker.png")
    dialog.get_by_role("button", name="Insert").click()
    expect(dialog).to_have_count(0)


def test_editor_inserts_library_photos_and_a_gallery(live_server, page, newsroom):
    story, gallery = newsroom["story"], newsroom["gallery"]
    harbour, ferry = newsroom["harbour"], newsroom["ferry"]
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    page.wait_for_selector(BODY)

    put_cursor_after(page, "coast at dawn")
    insert_from_library(page, "Insert photo", "harbour wall", "harbour wall")
    put_cursor_after(page, "Ferries stayed")
    insert_from_library(
        page, "Insert photo", "ferry", "ferry terminal", caption="The 9:15 ferry, which never left."
    )
    put_cursor_after(page, "By evening")
    insert_from_library(page, "Insert gallery", "storm", "The storm in pictures")

    cards = page.locator(f"{BODY} .newsroom-body-media")
    expect(cards).to_have_count(3)
    expect(cards.nth(1)).to_contain_text("Caption for this story: The 9:15 ferry, which never left.")
    page.screenshot(path=ARTIFACTS / "body-media-editor.png", full_page=True)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    story.refresh_from_db()
    assert references(story.body) == ([harbour.pk, ferry.pk], [gallery.pk])
    assert re.search(
        rf'<p>The storm reached the coast at dawn.</p><figure data-photo-id="{harbour.pk}"></figure>'
        rf'<p>Ferries stayed in port all day.</p><figure data-photo-id="{ferry.pk}">'
        r"<figcaption>The 9:15 ferry, which never left.</figcaption></figure>"
        rf'<p>By evening the wind had dropped.</p><figure data-gallery-id="{gallery.pk}"></figure>',
        story.body,
    ), story.body

    # Opened again, the editor shows the references as they are, thumbnails included, and a
    # save without changes keeps them to the byte.
    saved_body = story.body
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(cards).to_have_count(3)
    assert cards.locator("img").count() == 3
    expect(cards.nth(0)).to_contain_text("Ana Ruiz")
    expect(cards.nth(2)).to_contain_text("The storm in pictures (3 photos)")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Article.objects.get(pk=story.pk).body == saved_body

    # The caption this story gives a photo can be changed later from its card.
    cards.nth(1).get_by_role("button", name="Edit caption").click()
    page.locator("dialog.newsroom-media-dialog").get_by_label("Caption for this story").fill(
        "The last ferry."
    )
    page.get_by_role("button", name="Save caption").click()
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert "<figcaption>The last ferry.</figcaption>" in Article.objects.get(pk=story.pk).body
    assert page.console_errors == []

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}{story.get_absolute_url()}")
        photos = page.locator(".article-body figure.body-photo")
        expect(photos).to_have_count(2)
        expect(photos.nth(0).locator(".caption")).to_have_text("Waves break over the harbour wall.")
        expect(photos.nth(0).locator(".credit")).to_have_text("Ana Ruiz")
        expect(photos.nth(1).locator(".caption")).to_have_text("The last ferry.")
        expect(photos.nth(1).locator(".credit")).to_have_text("Lee Park")
        items = page.locator(".article-body .gallery .gallery-item")
        expect(items).to_have_count(3)
        expect(items.nth(0).locator(".credit")).to_have_text("Photographer 1")
        for image in page.locator(".article-body img").all():
            image.scroll_into_view_if_needed()
            image.evaluate("img => img.decode()")
            assert image.evaluate("img => img.naturalWidth") > 0
        # Scrolling the gallery's photos into view moved the gallery along; back to the first.
        page.locator(".gallery-items").focus()
        page.keyboard.press("Home")
        expect(page.locator(".gallery-counter")).to_have_text("1 of 3")
        expect(items.nth(0)).to_be_in_viewport(ratio=0.9)
        page.screenshot(path=ARTIFACTS / f"body-media-reader-{width}.png", full_page=True)

    # A reference is removed as a block: click its card, press Delete.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    cards.nth(0).locator("strong").click()
    page.keyboard.press("Delete")
    expect(cards).to_have_count(2)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert references(Article.objects.get(pk=story.pk).body) == ([ferry.pk], [gallery.pk])
    assert page.console_errors == []
