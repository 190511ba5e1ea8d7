"""Photo staff delete photos nothing uses; a photo in use says where, and stays."""

import pytest
from django.urls import reverse

from articles.models import Photo, Rendition
from articles.photos import removal
from articles.photos.removal import PhotoInUse, delete_photo
from tests.factories import ArticleFactory, ContributorFactory, PhotoFactory, staff_user

pytestmark = pytest.mark.django_db(transaction=True)  # files leave storage on commit


def stored_files(photo):
    files = [photo.image, photo.original, *(r.file for r in photo.renditions.all())]
    return [(f.storage, f.name) for f in files]


def delete_url(photo):
    return reverse("photos:delete", args=[photo.pk])


def test_detail_page_offers_delete_to_photo_editors_only(client, desk):
    photo = PhotoFactory()
    assert delete_url(photo) in desk.get(photo.get_absolute_url()).content.decode()
    client.force_login(staff_user("edith", "Editor"))
    assert delete_url(photo) not in client.get(photo.get_absolute_url()).content.decode()
    assert client.post(delete_url(photo)).status_code == 403
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_delete_asks_first_then_removes_the_row_and_every_file(desk):
    photo = PhotoFactory()
    files = stored_files(photo)
    assert all(storage.exists(name) for storage, name in files)

    confirm = desk.get(delete_url(photo))
    assert confirm.status_code == 200 and "Yes, delete it" in confirm.content.decode()
    assert Photo.objects.filter(pk=photo.pk).exists(), "the confirmation page deletes nothing"

    response = desk.post(delete_url(photo), follow=True)

    assert response.redirect_chain[-1][0] == reverse("photos:library")
    assert f"Photo {photo.pk} was deleted" in response.content.decode()
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not Rendition.objects.filter(photo_id=photo.pk).exists()
    assert not any(storage.exists(name) for storage, name in files)


def test_photo_used_by_a_story_names_it_and_stays(desk):
    photo = PhotoFactory()
    story = ArticleFactory(lead_photo=photo, headline="Harbor bridge reopens")
    files = stored_files(photo)

    confirm = desk.get(delete_url(photo)).content.decode()
    assert "This photo cannot be deleted" in confirm and "Harbor bridge reopens" in confirm
    assert "Yes, delete it" not in confirm

    response = desk.post(delete_url(photo))

    assert response.status_code == 409
    assert "used by “Harbor bridge reopens”, so it cannot be deleted" in response.content.decode()
    assert Photo.objects.filter(pk=photo.pk).exists() and story.lead_photo_id == photo.pk
    assert all(storage.exists(name) for storage, name in files)


def test_headshot_counts_as_a_use():
    photo = PhotoFactory()
    ContributorFactory(name="Ana Ruiz", headshot=photo)

    with pytest.raises(PhotoInUse, match="the headshot of Ana Ruiz"):
        delete_photo(photo=photo)
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_database_protection_is_a_message_not_a_server_error(desk, monkeypatch):
    """A story that picks the photo between the check and the delete: PROTECT answers."""
    photo = PhotoFactory()
    ArticleFactory(lead_photo=photo, headline="Picked at the last moment")
    real_uses, calls = removal.photo_uses, []

    def check_misses_the_story(photo):
        calls.append(photo)
        return ([], []) if len(calls) == 1 else real_uses(photo)

    monkeypatch.setattr(removal, "photo_uses", check_misses_the_story)

    response = desk.post(delete_url(photo))

    assert response.status_code == 409
    assert "used by “Picked at the last moment”" in response.content.decode()
    assert Photo.objects.filter(pk=photo.pk).exists()
