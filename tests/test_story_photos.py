"""Every photo a story shows (lead photo, lead gallery, photos and galleries in the body) reaches
feeds, JSON-LD, the API and the news sitemap with its credit; rights-expired ones never do; and
each of these costs the same number of queries however many stories and photos it carries."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Gallery, GalleryPhoto
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def photo(credit, **kwargs):
    return PhotoFactory(size=(96, 64), credit=credit, caption=f"Pictured by {credit}.", **kwargs)


def gallery_of(*photos):
    gallery = Gallery.objects.create(title="The storm in pictures")
    for position, item in enumerate(photos, start=1):
        GalleryPhoto.objects.create(gallery=gallery, photo=item, position=position)
    return gallery


def rich_story(tag="", **kwargs):
    """A story with a lead photo, a lead gallery, two inline photos (one expired) and a gallery."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    inline = photo(f"Inline{tag}")
    expired = photo(f"Expired{tag}", rights_expire_on=yesterday)
    body_gallery = gallery_of(
        photo(f"BodyGallery{tag}"), photo(f"ExpiredInGallery{tag}", rights_expire_on=yesterday)
    )
    body = (
        f'<p>Text.</p><figure data-photo-id="{inline.pk}">'
        "<figcaption>Only <em>here</em>.</figcaption></figure>"
        f'<figure data-photo-id="{expired.pk}"></figure><figure data-gallery-id="{body_gallery.pk}"></figure>'
    )
    return ArticleFactory(
        lead_photo=photo(f"Lead{tag}"),
        lead_gallery=gallery_of(photo(f"LeadGallery{tag}")),
        body=body,
        **kwargs,
    )


SHOWN = ["Lead", "LeadGallery", "Inline", "BodyGallery"]


def test_feed_item_carries_every_shown_photo_with_its_credit(client):
    rich_story()
    (entry,) = feedparser.parse(client.get("/feeds/latest/").content).entries
    assert len(entry.media_content) == 4
    xml = client.get("/feeds/latest/").content.decode()
    assert re.findall(r"<media:credit>(\w+)</media:credit>", xml) == SHOWN
    assert "Expired" not in xml


def test_json_ld_lists_every_shown_photo_with_its_credit(client):
    story = rich_story()
    html = client.get(story.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)[1])
    assert [image["creditText"] for image in data["image"]] == SHOWN
    assert all(image["url"].startswith("http://testserver/media/renditions/") for image in data["image"])


def test_api_associations_name_every_shown_photo(client):
    story = rich_story()
    associations = client.get(f"/api/v1/stories/{story.pk}").json()["associations"]
    assert [(a["name"], a["creditline"]) for a in associations] == [
        ("featureimage", "Lead"),
        ("leadgallery", "LeadGallery"),
        ("inline", "Inline"),
        ("gallery", "BodyGallery"),
    ]
    inline = associations[2]
    assert inline["altids"] == [
        {"role": "newsroom-photo", "value": re.search(r'data-photo-id="(\d+)"', story.body)[1]}
    ]
    assert inline["descriptions"][0] == {
        "role": "caption",
        "contenttype": "text/plain",
        "value": "Only here.",  # this story's caption, as plain text
    }


def test_news_sitemap_has_an_image_entry_for_every_shown_photo(client):
    rich_story()
    (url,) = ET.fromstring(client.get("/sitemap-news.xml").content).iter(f"{SITEMAP}url")
    images = url.findall(f"{IMAGE}image")
    captions = [image.find(f"{IMAGE}caption").text for image in images]
    assert captions == [f"Pictured by {credit}. Credit: {credit}" for credit in SHOWN]
    for image in images:
        assert image.find(f"{IMAGE}loc").text.startswith("http://testserver/media/renditions/")


def queries(client, url):
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/feeds/latest/", "/feeds/atom/latest/", "/sitemap-news.xml", "/api/v1/stories"]
)
def test_lists_cost_the_same_however_many_stories_and_photos(client, url):
    section = SectionFactory(name="National", slug="national")
    rich_story("a", section=section)
    few = queries(client, url)
    for n in range(4):
        rich_story(f"b{n}", section=section)
    assert queries(client, url) == few


def test_article_page_with_a_lead_gallery_costs_the_same_at_any_size(client):
    section = SectionFactory(name="National", slug="national")
    small = rich_story("a", section=section)
    large = rich_story("b", section=section)
    for n in range(4):
        GalleryPhoto.objects.create(gallery=large.lead_gallery, photo=photo(f"More{n}"), position=10 + n)
    assert queries(client, small.get_absolute_url()) == queries(client, large.get_absolute_url())
    html = client.get(large.get_absolute_url()).content.decode()
    assert html.count('class="gallery-item"') == 5 + 1


def test_a_picture_story_without_a_lead_photo_shares_its_first_gallery_photo(client):
    story = ArticleFactory(lead_gallery=gallery_of(photo("First"), photo("Second")))
    html = client.get(story.get_absolute_url()).content.decode()
    first = story.lead_gallery.items.first().photo
    shared = re.search(r'<meta property="og:image" content="([^"]+)"', html)[1]
    assert shared.startswith("http://testserver/media/renditions/")
    assert shared.endswith(first.rendition(1280).file.url)
