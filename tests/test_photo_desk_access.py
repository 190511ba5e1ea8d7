"""The photo desk, through its real pages: who may use it, and the login page that leads to it."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Photo
from tests import imagefiles as files
from tests.photo_desk import UPLOAD, member_of

pytestmark = pytest.mark.django_db


# --- who may use the desk ---------------------------------------------------------------------


def desk_urls(photo):
    return [
        reverse("photos:library"),
        reverse("photos:upload"),
        reverse("photos:describe") + f"?ids={photo.pk}",
        reverse("photos:detail", args=[photo.pk]),
        reverse("photos:original", args=[photo.pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, photo_factory):
    photo = photo_factory(size=(64, 48))
    for url in desk_urls(photo):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/photos/"), url


def test_reporters_are_refused(client, photo_factory):
    photo = photo_factory(size=(64, 48))
    client.force_login(member_of("Reporter", "riley"))
    for url in desk_urls(photo):
        assert client.get(url).status_code == 403, url
    assert client.post(UPLOAD, {"images": [SimpleUploadedFile("a.jpg", files.jpeg())]}).status_code == 403
    assert Photo.objects.count() == 1


@pytest.mark.parametrize("group", ["Photo editor", "Editor"])
def test_photo_editors_and_editors_may_use_the_desk(client, photo_factory, group):
    photo = photo_factory(size=(64, 48), uploaded_by=None)
    client.force_login(member_of(group, "staffer"))
    for url in desk_urls(photo)[:2] + desk_urls(photo)[3:]:
        assert client.get(url).status_code == 200, url


def test_original_download_needs_the_change_permission(client, photo_factory):
    photo = photo_factory(size=(64, 48))
    uploader = member_of(None, "uploader")
    uploader.user_permissions.add(Permission.objects.get(codename="add_photo"))
    client.force_login(uploader)

    assert client.get(reverse("photos:library")).status_code == 200
    assert client.get(reverse("photos:original", args=[photo.pk])).status_code == 403


def test_login_page_is_styled_and_leads_to_the_library(client, photo_editor):
    page = client.get("/accounts/login/?next=/photos/upload/")
    assert page.status_code == 200
    assert b'class="form-label requiredField"' in page.content and b"form-control" in page.content  # crispy
    assert b"vendor/bootstrap/bootstrap.min.css" in page.content

    response = client.post(
        "/accounts/login/?next=/photos/",
        {
            "auth-username": "pat",
            "auth-password": "correct horse battery staple",
            "login_view-current_step": "auth",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("photos:library")
