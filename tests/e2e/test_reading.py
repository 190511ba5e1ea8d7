"""A reader in a real browser: home page → story, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, PhotoFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom():
    national = SectionFactory(name="National", slug="national", position=1)
    for position, name in enumerate(["World", "Business", "Science", "Culture", "Sport", "Opinion"], start=2):
        SectionFactory(name=name, slug=name.lower(), position=position)
    story = ArticleFactory(
        section=national,
        featured=True,
        headline="Harbour bridge reopens after eight months of repairs",
        lead_photo=PhotoFactory(
            size=(1600, 1067), caption="Cars cross the harbour bridge.", credit="Jane Doe / Continental Press"
        ),
    )
    BylineFactory(article=story, contributor=ContributorFactory(name="Amara Okafor"))
    ArticleFactory(section=national, headline="Council approves the budget", lead_photo=PhotoFactory())
    return story


def test_reader_follows_a_story_from_the_home_page(live_server, page, newsroom):
    page.goto(f"{live_server.url}/")
    page.locator(".home-lead").get_by_role("link", name=newsroom.headline).click()
    page.wait_for_url(f"**{newsroom.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(newsroom.headline)

    photo = page.locator("figure.lead-photo img")
    expect(photo).to_be_visible()
    photo.evaluate("img => img.decode()")
    assert photo.evaluate("img => img.naturalWidth") > 0
    expect(page.locator("figure.lead-photo .caption")).to_have_text("Cars cross the harbour bridge.")
    expect(page.locator("figure.lead-photo .credit")).to_be_visible()
    expect(page.locator("figure.lead-photo .credit")).to_have_text("Jane Doe / Continental Press")
    assert page.console_errors == []


def test_section_navigation_is_usable_on_a_phone(live_server, page, newsroom):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("link", name="National")).to_be_visible()
    last = sections.get_by_role("link", name="Opinion")
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    last.click()
    page.wait_for_url("**/section/opinion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opinion")
    assert page.console_errors == []
