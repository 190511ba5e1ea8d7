"""Near-duplicate photos: a copy that is not byte-identical is still pointed out, after the upload."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image, ImageOps

from articles.models import Photo
from articles.photos.similar import near_duplicates
from articles.photos.tasks import make_photo_files

pytestmark = pytest.mark.django_db

HOPPER = (Path(__file__).parent / "photos" / "grace_hopper.jpg").read_bytes()
TRAM = (Path(__file__).parent / "wire_samples" / "nitf" / "photo.jpg").read_bytes()


def encoded(image, format="JPEG", **options):
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def hopper():
    return Image.open(io.BytesIO(HOPPER))


COPIES = {
    "re-encoded": lambda: encoded(hopper(), quality=55),
    "resized": lambda: encoded(hopper().resize((256, 300)), quality=75),
    "as PNG": lambda: encoded(hopper(), "PNG"),
    "one byte different": lambda: HOPPER + b"\0",
}
DIFFERENT = {
    "mirrored": lambda: encoded(ImageOps.mirror(hopper()), quality=90),
    "another picture": lambda: TRAM,
}


def upload(client, name, data):
    image = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post("/photos/upload/", {"images": [image]}, follow=True)


@pytest.mark.parametrize("copy", COPIES.values(), ids=COPIES.keys())
def test_near_duplicate_upload_goes_through_with_a_warning_and_a_link(desk, copy):
    upload(desk, "hopper.jpg", HOPPER)
    original = Photo.objects.get()

    data = copy()
    response = upload(desk, "copy.png" if data.startswith(b"\x89PNG") else "copy.jpg", data)

    assert Photo.objects.count() == 2, "staff may still upload a near-duplicate"
    new = Photo.objects.exclude(pk=original.pk).get()
    assert response.redirect_chain[-1][0] == reverse("photos:describe") + f"?ids={new.pk}"
    assert len(new.dhash) == 16 and near_duplicates([new])[new.pk] == [original]
    html = response.content.decode()
    assert "This looks like a photo already in the library" in html
    assert f'href="{original.get_absolute_url()}">photo {original.pk}' in html


@pytest.mark.parametrize("different", DIFFERENT.values(), ids=DIFFERENT.keys())
def test_a_different_photo_does_not_warn(desk, different):
    upload(desk, "hopper.jpg", HOPPER)

    response = upload(desk, "other.jpg", different())

    assert Photo.objects.count() == 2
    assert "already in the library" not in response.content.decode()
    new = Photo.objects.order_by("-pk").first()
    assert near_duplicates([new])[new.pk] == []


def test_hash_photos_command_fills_in_photos_stored_without_a_hash(desk):
    upload(desk, "hopper.jpg", HOPPER)
    upload(desk, "copy.jpg", encoded(hopper(), quality=60))
    expected = dict(Photo.objects.values_list("pk", "dhash"))
    Photo.objects.update(dhash="")
    out = io.StringIO()

    call_command("hash_photos", stdout=out)

    assert dict(Photo.objects.values_list("pk", "dhash")) == expected
    assert "Hashed 2 of 2" in out.getvalue()
    first, second = Photo.objects.order_by("pk")
    assert near_duplicates([second])[second.pk] == [first]


def test_describe_step_queries_do_not_grow_with_the_number_of_photos(desk, django_assert_num_queries):
    upload(desk, "hopper.jpg", HOPPER)
    upload(desk, "copy.jpg", encoded(hopper(), quality=60))
    upload(desk, "other.jpg", TRAM)

    def describe(photos):
        return reverse("photos:describe") + "?ids=" + ",".join(str(photo.pk) for photo in photos)

    photos = list(Photo.objects.order_by("pk"))
    desk.get(describe(photos[:1]))  # sessions and permissions are cached after the first request
    with CaptureQueriesContext(connection) as one:
        desk.get(describe(photos[:1]))
    with django_assert_num_queries(len(one.captured_queries)):
        response = desk.get(describe(photos))
    assert response.content.decode().count("This looks like a photo already in the library") == 2


def test_warning_reaches_the_uploader_once_the_worker_has_fingerprinted_the_photo(desk, settings):
    """The request takes no fingerprint; the describe step, its status poll and the photo's page
    warn once the worker has."""
    upload(desk, "hopper.jpg", HOPPER)
    Photo.objects.update(credit="Jane Doe / Continental Press")
    original = Photo.objects.get()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    response = upload(desk, "copy.jpg", encoded(hopper(), quality=55))
    new = Photo.objects.exclude(pk=original.pk).get()
    assert new.dhash == ""
    html = response.content.decode()
    assert "This looks like a photo already in the library" not in html
    assert f'data-near-duplicates="{new.pk}" hidden' in html  # where photo-status.js will put it
    status = desk.get(reverse("photos:status"), {"ids": new.pk}).json()["photos"][str(new.pk)]
    assert status["near_duplicates"] == []

    make_photo_files.call(new.pk)  # what the worker does

    status = desk.get(reverse("photos:status"), {"ids": new.pk}).json()["photos"][str(new.pk)]
    assert status["near_duplicates"] == [
        {"url": original.get_absolute_url(), "label": f"photo {original.pk} (Jane Doe / Continental Press)"}
    ]
    for page in (reverse("photos:describe") + f"?ids={new.pk}", new.get_absolute_url()):
        html = desk.get(page).content.decode()
        assert "This looks like a photo already in the library" in html
        assert f'href="{original.get_absolute_url()}">photo {original.pk}' in html
