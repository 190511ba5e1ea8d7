"""A damaged upload on the photo desk: the request takes it from its header alone, the task worker
finds the damage and marks the photo failed with a sentence for the uploader, who removes it in
one click. It is never public and never a story's lead photo."""

import struct
import time
import zlib

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import ImageFile

from articles.models import Article, Photo
from articles.photos.checks import ImageRejected
from articles.photos.tasks import make_photo_files
from tests import imagefiles as files
from tests.factories import ArticleFactory, staff_user
from tests.photo_desk import files_in, member_of, messages_of, names_in, upload
from tests.realsize import Corpus

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
CUT_MESSAGE = "“cut.jpg” is damaged or incomplete and cannot be opened."


@pytest.fixture(scope="module")
def camera_12mp(tmp_path_factory):
    return Corpus(tmp_path_factory.mktemp("damaged-upload")).data("camera-12mp.jpg")


@pytest.fixture
def decodes(monkeypatch):
    """Every Pillow decode (`load`) made while the fixture is active."""
    seen = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda im: seen.append(im.size) or real_load(im))
    return seen


def describe_url(*photos):
    return reverse("photos:describe") + "?ids=" + ",".join(str(photo.pk) for photo in photos)


def remove_url(photo):
    return reverse("photos:remove", args=[photo.pk])


def failed_photo(desk, name="cut.jpg", width=400):
    """A small cut-off JPEG, uploaded with the worker run at once (the test settings' backend)."""
    upload(desk, (name, files.truncated(files.jpeg(files.picture(width, 300)))))
    photo = Photo.objects.get(original_filename=name)
    assert photo.status == Photo.Status.FAILED
    return photo


def test_cut_off_12mp_jpeg_is_taken_without_a_decode_then_failed_by_the_worker(
    desk, settings, camera_12mp, decodes, media_dir, originals_dir
):
    settings.TASKS = DUMMY_TASKS
    cut = files.truncated(camera_12mp)

    started = time.perf_counter()
    response = upload(desk, ("cut.jpg", cut), ("good.jpg", camera_12mp))
    elapsed = time.perf_counter() - started

    assert decodes == [], "the upload request decodes no pixel"
    assert elapsed < 10, f"the upload took {elapsed:.1f} s"
    assert messages_of(response) == ["2 photos added to the library."]
    damaged = Photo.objects.get(original_filename="cut.jpg")
    good = Photo.objects.get(original_filename="good.jpg")
    assert damaged.status == good.status == Photo.Status.PROCESSING
    assert (originals_dir / damaged.original.name).read_bytes() == cut

    with pytest.raises(ImageRejected):
        make_photo_files.call(damaged.pk)  # what the worker does; its task ends failed
    assert make_photo_files.call(good.pk) == "ready"

    damaged.refresh_from_db()
    good.refresh_from_db()
    assert (damaged.status, damaged.processing_attempts) == (Photo.Status.FAILED, 1)
    assert damaged.processing_error == CUT_MESSAGE
    assert not damaged.image and not damaged.renditions.exists() and damaged.dhash == ""
    assert good.status == Photo.Status.READY and good.renditions.count() == 16 and len(good.dhash) == 16
    assert names_in(media_dir) == {good.image.name, *(r.file.name for r in good.renditions.all())}

    page = desk.get(describe_url(damaged, good)).content.decode()
    assert f"Could not be processed.</strong> <span data-failure-text>{CUT_MESSAGE}</span>" in page
    assert f'form="remove-photo-{damaged.pk}"' in page and f'action="{remove_url(damaged)}"' in page
    remove_form = page.split(f'<form id="remove-photo-{damaged.pk}"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken" value="' in remove_form  # a real browser sends it
    assert f'form="remove-photo-{good.pk}"' not in page
    library = desk.get(reverse("photos:library")).content.decode()
    assert "Processing failed" in library and CUT_MESSAGE in library
    status = desk.get(reverse("photos:status"), {"ids": f"{damaged.pk},{good.pk}"}).json()["photos"]
    assert status[str(damaged.pk)]["status"] == "failed" and status[str(damaged.pk)]["error"] == CUT_MESSAGE
    assert status[str(good.pk)]["error"] == ""


def test_remove_takes_the_failed_photo_and_its_original_and_returns_to_the_describe_step(
    desk, originals_dir, django_capture_on_commit_callbacks
):
    damaged = failed_photo(desk)
    upload(desk, ("good.jpg", files.jpeg(files.picture(64, 48))))
    good = Photo.objects.get(original_filename="good.jpg")

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(remove_url(damaged), {"next": describe_url(damaged, good)}, follow=True)

    assert response.redirect_chain[-1][0] == describe_url(good)
    assert messages_of(response) == ["“cut.jpg” was removed from the library, with its files."]
    assert not Photo.objects.filter(pk=damaged.pk).exists()
    assert [path.name for path in files_in(originals_dir)] == [good.original.name]


def test_remove_of_the_only_photo_on_the_describe_step_goes_to_the_library(desk):
    damaged = failed_photo(desk)

    response = desk.post(remove_url(damaged), {"next": describe_url(damaged)})

    assert response.status_code == 302 and response["Location"] == reverse("photos:library")


def test_remove_never_leaves_the_site(desk):
    response = desk.post(remove_url(failed_photo(desk)), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("photos:library")


def test_remove_is_only_for_failed_photos_and_their_uploader_or_editors(client, desk):
    damaged = failed_photo(desk)
    upload(desk, ("good.jpg", files.jpeg()))
    good = Photo.objects.get(original_filename="good.jpg")
    stranger = member_of(None, "sam")
    stranger.user_permissions.add(Permission.objects.get(codename="add_photo"))

    assert desk.post(remove_url(good)).status_code == 403  # ready: the delete page is the way
    assert desk.get(remove_url(damaged)).status_code == 405
    assert desk.post(reverse("photos:remove", args=[999_999])).status_code == 404
    client.force_login(stranger)
    assert client.post(remove_url(damaged)).status_code == 403
    assert f'form="remove-photo-{damaged.pk}"' not in client.get(damaged.get_absolute_url()).content.decode()
    assert Photo.objects.filter(pk=damaged.pk).exists()
    client.force_login(staff_user("pia", "Photo editor"))  # may delete photos: may remove it too
    assert client.post(remove_url(damaged)).status_code == 302
    assert not Photo.objects.filter(pk=damaged.pk).exists()


def test_failed_photo_cannot_be_picked_as_a_lead_photo(desk, admin_client):
    damaged = failed_photo(desk)
    upload(desk, ("good.jpg", files.jpeg()))
    good = Photo.objects.get(original_filename="good.jpg")

    found = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "lead_photo", "term": ""},
    ).json()
    assert [result["id"] for result in found["results"]] == [str(good.pk)]
    form = forms.modelform_factory(Article, fields=["lead_photo"])({"lead_photo": damaged.pk})
    assert not form.is_valid() and "Select a valid choice" in form.errors["lead_photo"][0]
    with pytest.raises(ValidationError) as refused:
        ArticleFactory.build(lead_photo=damaged).clean_fields(exclude=["section", "tags"])
    assert "lead_photo" in refused.value.message_dict


def test_story_led_by_a_photo_that_then_fails_shows_no_photo(client, desk, settings):
    settings.TASKS = DUMMY_TASKS
    upload(desk, ("cut.jpg", files.truncated(files.jpeg(files.picture(400, 300)))))
    photo = Photo.objects.get()
    story = ArticleFactory(lead_photo=photo, headline="Ferry runs aground")  # picked while processing
    with pytest.raises(ImageRejected):
        make_photo_files.call(photo.pk)

    page = client.get(story.get_absolute_url())

    assert page.status_code == 200 and "Ferry runs aground" in page.content.decode()
    assert photo.sha256 not in page.content.decode() and "<img" not in page.content.decode().split("<main")[1]
    home = client.get("/").content.decode()
    assert "Ferry runs aground" in home and photo.sha256 not in home


def test_status_poll_queries_do_not_grow_with_the_photos(desk, django_assert_num_queries):
    photos = [failed_photo(desk, f"cut-{n}.jpg", width=400 + n) for n in range(2)]
    for n in range(2):
        upload(desk, (f"good-{n}.jpg", files.jpeg(files.picture(64 + n, 48))))
    photos += list(Photo.objects.filter(status=Photo.Status.READY))

    def poll(some):
        return desk.get(reverse("photos:status"), {"ids": ",".join(str(photo.pk) for photo in some)})

    # Session, user, permissions (2), photos, renditions, the library's hashes, and the
    # near-duplicates with their thumbnails (2): the two good pictures look alike.
    with django_assert_num_queries(9):
        assert poll([photos[0], photos[2]]).json()["photos"][str(photos[2].pk)]["near_duplicates"]
    with django_assert_num_queries(9):
        assert len(poll(photos).json()["photos"]) == 4


def png_with_exif_after_its_pixels(**exif):
    """A PNG whose eXIf chunk follows the image data, as some editors write it."""
    data = files.png(files.picture(120, 80))
    block = files.exif_block(**exif).tobytes()
    chunk = b"eXIf" + block
    end = data.rindex(b"IEND") - 4
    framed = struct.pack(">I", len(block)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:end] + framed + data[end:]


def test_details_a_png_keeps_after_its_pixels_are_filled_in_by_the_worker(desk, settings, decodes):
    settings.TASKS = DUMMY_TASKS
    upload(desk, ("late.png", png_with_exif_after_its_pixels(description="Ferry at dawn.", artist="Jo Lee")))
    photo = Photo.objects.get()
    assert decodes == [], "the request does not decode the PNG to find its EXIF"
    assert (photo.caption, photo.photographer, photo.credit) == ("", "", "")
    Photo.objects.filter(pk=photo.pk).update(alt_text="A ferry.")  # typed on the describe step meanwhile

    make_photo_files.call(photo.pk)

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert (photo.caption, photo.photographer, photo.credit) == ("Ferry at dawn.", "Jo Lee", "Jo Lee")
    assert photo.alt_text == "A ferry."
