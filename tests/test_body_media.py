"""Library photos and galleries in story bodies: stored by reference, rendered current."""

import datetime
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Gallery, GalleryPhoto
from articles.stories.sanitize import sanitize_body
from articles.wire.importer import import_wire
from tests.admin_forms import article_form_data
from tests.factories import ArticleFactory, PhotoFactory, SectionFactory, staff_user

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).parent / "wire_samples" / "package"


def photo(**kwargs):
    return PhotoFactory(size=(96, 64), **kwargs)


def gallery_of(*photos, title="Harbour in the storm"):
    gallery = Gallery.objects.create(title=title)
    for position, item in enumerate(photos, start=1):
        GalleryPhoto.objects.create(gallery=gallery, photo=item, position=position)
    return gallery


def body_with(photos=(), gallery=None, *, override=None):
    parts = ["<p>First paragraph.</p>"]
    for item in photos:
        caption = f"<figcaption>{override}</figcaption>" if override and item == photos[0] else ""
        parts.append(f'<figure data-photo-id="{item.pk}">{caption}</figure><p>More text.</p>')
    if gallery:
        parts.append(f'<figure data-gallery-id="{gallery.pk}"></figure>')
    return "".join(parts)


def test_sanitiser_keeps_only_the_photo_and_gallery_references_on_figures():
    cleaned = sanitize_body(
        '<figure data-photo-id="12" data-x="1" class="big" onclick="steal()"></figure>'
        '<figure data-gallery-id="3"><img src="javascript:x"></figure>'
    )
    assert '<figure data-photo-id="12"></figure>' in cleaned
    assert '<figure data-gallery-id="3">' in cleaned
    assert "onclick" not in cleaned and "class" not in cleaned and "javascript" not in cleaned


def test_reader_sees_inline_photos_and_the_gallery_with_captions_and_credits(client):
    first = photo(caption="Waves break over the sea wall.", credit="Ana Ruiz / Continental Press")
    second = photo(caption="A ferry waits in the harbour.", credit="Lee Park")
    in_gallery = [photo(caption=f"Storm picture {n}.", credit=f"Agency {n}") for n in range(3)]
    gallery = gallery_of(*in_gallery)
    GalleryPhoto.objects.filter(photo=in_gallery[1]).update(caption="The gallery's own caption.")
    story = ArticleFactory(body=body_with([first, second], gallery))
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Waves break over the sea wall." in html and "Ana Ruiz / Continental Press" in html
    assert "A ferry waits in the harbour." in html and "Lee Park" in html
    assert "Harbour in the storm" in html and "3 photos" in html
    assert "The gallery&#x27;s own caption." in html and "Storm picture 1." not in html
    assert html.count('class="gallery-item"') == 3 and "Agency 2" in html


def test_story_caption_overrides_the_library_caption_for_an_inline_photo(client):
    item = photo(caption="Library caption.")
    story = ArticleFactory(body=body_with([item], override="Only <em>this</em> story’s caption."))
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<span class="caption">Only <em>this</em> story’s caption.</span>' in html
    assert "Library caption." not in html


def test_rights_expired_photo_vanishes_from_bodies_and_galleries(client):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    expired = photo(caption="Expired picture.", rights_expire_on=yesterday)
    kept = photo(caption="Still licensed.")
    story = ArticleFactory(body=body_with([expired, kept], gallery_of(expired, kept)))
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Expired picture." not in html and expired.sha256 not in html
    assert expired.image.name not in html
    assert html.count("Still licensed.") == 2 and "1 photo" in html


def test_article_page_queries_do_not_grow_with_body_photos(client):
    section = SectionFactory(name="National", slug="national")
    few = ArticleFactory(section=section, body=body_with([photo()], gallery_of(photo())))
    crowded = body_with([photo(), photo(), photo()], gallery_of(photo(), photo(), photo()))
    many = ArticleFactory(section=section, body=crowded)
    counts = []
    for story in (few, many):
        client.get(story.get_absolute_url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(story.get_absolute_url()).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] == 5 + 4  # the article page (5) and the body media (4)


def test_package_photos_become_the_lead_and_a_gallery_in_package_order(client):
    SectionFactory(name="Sport", slug="sport")
    [result] = import_wire(PACKAGE).results
    story = result.article
    assert story.lead_photo.caption.startswith("Lights shine")
    gallery = Gallery.objects.get()
    assert [item.photo.caption[:10] for item in gallery.items.all()] == ["Groundskee", "Fans queue"]
    # The gallery is the story's lead gallery, shown under the lead photo, not in the body.
    assert story.lead_gallery == gallery and "data-gallery-id" not in story.body
    # A new version of the package keeps the gallery and makes no second one.
    Article.objects.filter(pk=story.pk).update(status=Article.Status.PUBLISHED, publish_at=timezone.now())
    story.refresh_from_db()
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.count('class="gallery gallery-lead"') == 1 and "Groundskee" in page
    import_wire(PACKAGE)
    story.refresh_from_db()
    assert Gallery.objects.count() == 1 and story.lead_gallery == gallery


def test_sanitiser_keeps_what_the_body_editor_writes_for_photos_and_galleries():
    written = (
        '<p>Text.</p><figure data-photo-id="12"><figcaption>The 9:15 ferry.</figcaption></figure>'
        '<figure data-gallery-id="3"></figure>'
    )
    assert sanitize_body(written) == written


def test_story_form_tells_the_body_editor_what_its_references_show(admin_client):
    item = photo(caption="Waves break over the sea wall.", credit="Ana Ruiz")
    story = ArticleFactory(body=body_with([item], gallery_of(photo(), photo())))
    html = admin_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    media = json.loads(unescape(re.search(r'data-body-media="([^"]*)"', html)[1]))
    assert media["photo"][str(item.pk)]["credit"] == "Ana Ruiz"
    assert "/renditions/" in media["photo"][str(item.pk)]["thumbnail"]
    (gallery,) = media["gallery"].values()
    assert gallery["text"] == "Harbour in the storm (2 photos)" and "/renditions/" in gallery["thumbnail"]


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_story_writers_find_photos_and_galleries_for_the_body(client, role):
    client.force_login(staff_user("writer", role))
    item = photo(caption="Waves break over the sea wall.", credit="Ana Ruiz")
    gallery_of(item, title="Storm in pictures")
    search = {"app_label": "articles", "model_name": "article"}
    photos = client.get("/admin/autocomplete/", {**search, "field_name": "lead_photo", "term": "sea wall"})
    [found] = photos.json()["results"]
    assert found["credit"] == "Ana Ruiz" and "/renditions/" in found["thumbnail"]
    galleries = client.get("/admin/autocomplete/", {**search, "field_name": "lead_gallery", "term": "storm"})
    [found] = galleries.json()["results"]
    assert found["text"] == "Storm in pictures (1 photo)" and "/renditions/" in found["thumbnail"]


def test_editor_sets_the_lead_gallery_in_the_story_form(client):
    client.force_login(staff_user("edith", "Editor"))
    story = ArticleFactory(body="<p>Text.</p>")
    gallery = gallery_of(photo(caption="Calm before the storm."))
    data = article_form_data(story, lead_gallery=gallery.pk)
    response = client.post(f"/admin/articles/article/{story.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert story.lead_gallery == gallery
    assert "Calm before the storm." in client.get(story.get_absolute_url()).content.decode()
