"""The photo desk's library and detail pages, and expired usage rights on public pages and in
the admin."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Photo
from articles.photos.views import PhotoLibraryView
from tests import imagefiles as files
from tests.factories import ArticleFactory, ContributorFactory, UserFactory
from tests.photo_desk import member_of, opened, upload

pytestmark = pytest.mark.django_db


# --- the library ---------------------------------------------------------------------------------------


@pytest.fixture
def library(photo_factory, photo_editor):
    other = member_of("Photo editor", "sam")
    return {
        "ferry": photo_factory(size=(64, 48), caption="Ferry leaves the harbour.", uploaded_by=photo_editor),
        "rally": photo_factory(
            size=(64, 48),
            caption="Crowds at the rally.",
            credit="Ana Lima / Wire Agency",
            photographer="Ana Lima",
            title="Rally",
            uploaded_by=other,
        ),
        "farm": photo_factory(
            size=(64, 48), caption="Harvest time.", photographer="Lee Park", uploaded_by=other
        ),
    }


def shown(response):
    return {photo.caption for photo in response.context["photos"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("harbour", {"Ferry leaves the harbour."}),
        ("wire agency", {"Crowds at the rally."}),
        ("lee", {"Harvest time."}),
        ("rally", {"Crowds at the rally."}),
        ("nothing-like-this", set()),
    ],
)
def test_library_search(desk, library, query, expected):
    assert shown(desk.get("/photos/", {"q": query})) == expected


def test_library_filters_by_uploader(desk, library):
    sam = library["rally"].uploaded_by

    assert shown(desk.get("/photos/", {"uploaded_by": sam.pk})) == {"Crowds at the rally.", "Harvest time."}


def test_library_filters_by_upload_date(desk, library):
    Photo.objects.filter(pk=library["farm"].pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=40)
    )
    today = timezone.localdate()
    month_ago = today - datetime.timedelta(days=30)

    assert shown(desk.get("/photos/", {"uploaded_to": month_ago})) == {"Harvest time."}
    assert shown(desk.get("/photos/", {"uploaded_from": month_ago, "uploaded_to": today})) == {
        "Ferry leaves the harbour.",
        "Crowds at the rally.",
    }


def test_library_shows_square_thumbnails_with_caption_and_credit(desk, library):
    page = desk.get("/photos/").content.decode()
    rally = library["rally"]
    thumb = rally.renditions.get(square=True, format="jpeg")

    assert thumb.file.url in page
    assert "Crowds at the rally." in page and "Ana Lima / Wire Agency" in page
    assert rally.get_absolute_url() in page


def test_library_flags_expired_rights(desk, library):
    farm = library["farm"]
    farm.rights_expire_on = timezone.localdate() - datetime.timedelta(days=1)
    farm.save()

    page = desk.get("/photos/").content.decode()
    expired_only = desk.get("/photos/", {"expired": "on"})

    assert page.count("Rights expired") == 1
    assert farm.renditions.get(square=True, format="jpeg").file.url in page  # staff still see it
    assert shown(expired_only) == {"Harvest time."}


def test_library_is_paginated_and_keeps_the_search(desk, library, monkeypatch):
    monkeypatch.setattr(PhotoLibraryView, "paginate_by", 2)

    first = desk.get("/photos/", {"q": "a"})
    second = desk.get("/photos/", {"q": "a", "page": 2})

    assert first.context["page_obj"].paginator.num_pages == 2
    assert "?q=a&amp;page=2" in first.content.decode()
    assert len(shown(first) | shown(second)) == 3


def test_library_queries_do_not_grow_with_the_photos(desk, photo_factory, django_assert_num_queries):
    photo_factory(size=(64, 48))
    with django_assert_num_queries(8):  # session, user, permissions (2), count, uploaders, photos, renditions
        desk.get("/photos/")
    for _ in range(3):
        photo_factory(size=(64, 48))
    with django_assert_num_queries(8):
        desk.get("/photos/")


# --- the detail page ------------------------------------------------------------------------------------


def test_detail_shows_where_the_photo_is_used(desk, photo_factory):
    photo = photo_factory(size=(64, 48))
    ArticleFactory(headline="Ferry strike ends after two weeks", lead_photo=photo)
    ContributorFactory(name="Ana Lima", headshot=photo)

    page = desk.get(reverse("photos:detail", args=[photo.pk])).content.decode()

    assert "Ferry strike ends after two weeks" in page
    assert "Headshot of" in page and "Ana Lima" in page


def edit_data(photo, **changes):
    data = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "credit": photo.credit,
        "photographer": photo.photographer,
        "source": photo.source,
        "title": photo.title,
        "copyright_notice": photo.copyright_notice,
        "rights_expire_on": "",
        "focal_x": "",
        "focal_y": "",
    }
    return {**data, **changes}


def test_detail_edits_the_photo(desk, photo_factory):
    photo = photo_factory(size=(64, 48))
    url = reverse("photos:detail", args=[photo.pk])

    response = desk.post(url, edit_data(photo, caption="New caption.", rights_expire_on="2030-01-31"))

    assert response.status_code == 302 and response["Location"] == url
    photo.refresh_from_db()
    assert photo.caption == "New caption."
    assert photo.rights_expire_on == datetime.date(2030, 1, 31)


def test_moving_the_focal_point_recrops_only_the_squares(desk):
    upload(desk, ("wide.jpg", files.jpeg(files.marked_picture(400, 100, corner="top-right"), quality=95)))
    photo = Photo.objects.get()
    squares = set(photo.renditions.filter(square=True).values_list("pk", flat=True))
    others = set(photo.renditions.filter(square=False).values_list("pk", flat=True))

    desk.post(reverse("photos:detail", args=[photo.pk]), edit_data(photo, focal_x="0.95", focal_y="0.1"))

    assert set(photo.renditions.filter(square=False).values_list("pk", flat=True)) == others
    new_squares = photo.renditions.filter(square=True, format="jpeg")
    assert not squares & set(new_squares.values_list("pk", flat=True))
    red, green, blue = opened(new_squares.get().file).convert("RGB").getpixel((90, 10))
    assert red > 200 and green < 80


def test_focal_point_needs_both_values(desk, photo_factory):
    photo = photo_factory(size=(64, 48))

    response = desk.post(reverse("photos:detail", args=[photo.pk]), edit_data(photo, focal_x="0.3"))

    assert response.status_code == 200
    assert "Give both focal point values" in response.content.decode()


def test_detail_is_read_only_without_change_permission(client, photo_factory):
    photo = photo_factory(size=(64, 48), caption="Unchanged.")
    uploader = member_of(None, "uploader")
    uploader.user_permissions.add(Permission.objects.get(codename="add_photo"))
    client.force_login(uploader)
    url = reverse("photos:detail", args=[photo.pk])

    page = client.get(url).content.decode()
    response = client.post(url, edit_data(photo, caption="Changed."))

    assert 'id="photo-edit-form"' not in page
    assert reverse("photos:original", args=[photo.pk]) not in page
    assert response.status_code == 403
    photo.refresh_from_db()
    assert photo.caption == "Unchanged."


def test_detail_flags_expired_rights(desk, photo_factory):
    photo = photo_factory(size=(64, 48), rights_expire_on=timezone.localdate() - datetime.timedelta(days=2))

    page = desk.get(reverse("photos:detail", args=[photo.pk])).content.decode()

    assert "no longer shown on public pages" in page
    assert "<picture>" in page  # the preview still shows to staff


# --- rights expiry on public pages and in the admin ----------------------------------------------------


def test_expired_lead_photo_is_not_public(photo_factory):
    photo = photo_factory(size=(64, 48), rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    article = ArticleFactory(lead_photo=photo)

    assert article.public_lead_photo is None


def test_admin_flags_expired_rights(client, photo_factory):
    photo_factory(size=(64, 48), rights_expire_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:articles_photo_changelist")).content.decode()
    expired = client.get(reverse("admin:articles_photo_changelist"), {"rights": "expired"})

    assert 'class="newsroom-flag">Expired' in page
    assert expired.context["cl"].result_count == 1


def test_admin_focal_point_change_recrops_squares(client, photo_factory):
    photo = photo_factory(size=(64, 48))
    squares = set(photo.renditions.filter(square=True).values_list("pk", flat=True))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    data = edit_data(photo, focal_x="0.2", focal_y="0.5", taken_at_0="", taken_at_1="")

    response = client.post(reverse("admin:articles_photo_change", args=[photo.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert not squares & set(photo.renditions.filter(square=True).values_list("pk", flat=True))
