"""The photo desk's upload page, through its real pages: the upload and describe steps, what
is refused and why, and a full disk.

Every validation rule is checked by POSTing real image files (built by tests/imagefiles.py) to
the upload view, then looking at the rows and the files on disk.
"""

import errno
import hashlib
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from PIL import ImageFile

from articles.models import Photo, Rendition
from tests import imagefiles as files
from tests.photo_desk import UPLOAD, files_in, member_of, messages_of, names_in, noise_jpeg, upload

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php echo shell_exec($_GET['c']); ?>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'


# --- the upload page ----------------------------------------------------------------------------


def test_upload_form_works_without_javascript(desk):
    page = desk.get(UPLOAD).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="images"' in page and " multiple" in page
    assert 'name="photographer"' in page and 'name="source"' in page and 'name="credit"' in page
    assert "articles/js/upload-progress.js" in page
    assert 'id="upload-progress"' in page and "hidden" in page


def test_upload_needs_a_file(desk):
    response = desk.post(UPLOAD, {"credit": "Jane Doe"})

    assert response.status_code == 200
    assert response.context["form"].errors["images"] == ["This field is required."]


def test_one_upload_leads_to_the_describe_step(desk, photo_editor):
    response = upload(desk, ("harbour.jpg", files.jpeg()))
    photo = Photo.objects.get()

    assert response.redirect_chain[0][0] == reverse("photos:describe") + f"?ids={photo.pk}"
    assert messages_of(response) == ["1 photo added to the library."]
    assert photo.uploaded_by == photo_editor
    assert list(response.context["formset"].queryset) == [photo]


def test_upload_of_an_ordinary_camera_size_photo_succeeds(desk):
    """3000×2000 is wider than the widest rendition: it once answered 500."""
    response = upload(desk, ("camera.jpg", files.jpeg(files.picture(3000, 2000))))

    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (3000, 2000)
    assert sorted(photo.renditions.filter(format="jpeg", square=False).values_list("width", flat=True)) == [
        320,
        640,
        960,
        1280,
        1920,
        2560,
    ]


def test_upload_spooled_to_a_temporary_file_is_kept_whole(desk, settings, originals_dir):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything bigger is written to a temporary file
    data = files.jpeg(files.picture(400, 300), exif=files.exif_block(gps=files.gps_position()))
    assert len(data) > 1024

    response = upload(desk, ("big.jpg", data))

    photo = Photo.objects.get()
    assert messages_of(response) == ["1 photo added to the library."]
    assert (originals_dir / photo.original.name).read_bytes() == data
    assert photo.renditions.count() == 8


def test_describe_step_saves_caption_and_alt_text_of_each_photo(desk):
    upload(desk, ("one.jpg", files.jpeg(files.picture(64, 48))), ("two.png", files.png()))
    first, second = Photo.objects.order_by("pk")
    url = reverse("photos:describe") + f"?ids={first.pk},{second.pk}"
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-caption": "Ferry leaves the harbour at dawn.",
        "form-0-alt_text": "A white ferry on grey water.",
        "form-1-id": second.pk,
        "form-1-caption": "Gradient test card.",
        "form-1-alt_text": "Colours fading from red to green.",
    }

    response = desk.post(url, data)

    assert response.status_code == 302 and response["Location"] == reverse("photos:library")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.caption, first.alt_text) == (
        "Ferry leaves the harbour at dawn.",
        "A white ferry on grey water.",
    )
    assert (second.caption, second.alt_text) == ("Gradient test card.", "Colours fading from red to green.")


def test_describe_step_offers_only_own_uploads_without_change_permission(client, photo_factory):
    others = photo_factory(size=(64, 48))
    uploader = member_of(None, "uploader")
    uploader.user_permissions.add(Permission.objects.get(codename="add_photo"))
    client.force_login(uploader)
    upload(client, ("mine.jpg", files.jpeg()))
    mine = Photo.objects.get(uploaded_by=uploader)

    response = client.get(reverse("photos:describe") + f"?ids={others.pk},{mine.pk}")

    assert list(response.context["formset"].queryset) == [mine]


def test_describe_step_without_photos_goes_back_to_upload(desk):
    response = desk.get(reverse("photos:describe") + "?ids=999,abc")

    assert response.status_code == 302 and response["Location"] == UPLOAD


# --- validation -----------------------------------------------------------------------------------

REFUSED = [
    ("page.jpg", HTML, "“page.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image."),
    ("shell.jpg", PHP, "“shell.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image."),
    ("shell.php", PHP, "“shell.php” is not a JPEG, PNG, WebP, GIF or HEIC image."),
    ("logo.svg", SVG, "“logo.svg” is an SVG drawing; upload a JPEG, PNG, WebP, GIF or HEIC image instead."),
    ("empty.jpg", b"", "“empty.jpg” is empty."),
    (
        "polyglot.jpg",
        files.png() + HTML,
        "“polyglot.jpg” is a PNG image, but its name ends in .jpg. "
        "Rename it to end in .png and upload it again.",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    REFUSED,
    ids=["html", "php-as-jpg", "php", "svg", "empty", "png-html-polyglot"],
)
def test_refused_file_is_reported_and_leaves_nothing(desk, media_dir, originals_dir, name, data, message):
    response = upload(desk, (name, data), credit="Jane Doe")

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert messages_of(response) == [message]
    assert message.replace("“", "").split("”")[0] in response.content.decode()
    assert response.context["form"]["credit"].value() == "Jane Doe"  # the typed credit is kept
    assert not Photo.objects.exists() and not Rendition.objects.exists()
    assert files_in(media_dir) == [] and files_in(originals_dir) == []


def test_file_over_the_size_limit_is_refused(desk, settings, media_dir, originals_dir):
    settings.PHOTO_MAX_UPLOAD_BYTES = 512 * 1024
    data = noise_jpeg(900, 700)
    assert len(data) > 512 * 1024

    response = upload(desk, ("big.jpg", data))

    assert messages_of(response) == [f"“big.jpg” is {len(data) / 1024 / 1024:.1f} MB; the limit is 0.5 MB."]
    assert not Photo.objects.exists()
    assert files_in(media_dir) == [] and files_in(originals_dir) == []


def test_decompression_bomb_is_refused_before_it_is_decoded(desk, monkeypatch, media_dir):
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda im: decoded.append(im) or real_load(im))
    bomb = files.raw_png(11_000, 10_000)  # 110 megapixels claimed in a few hundred bytes

    response = upload(desk, ("bomb.png", bomb))

    assert messages_of(response) == ["“bomb.png” is 110 megapixels; the limit is 100 megapixels."]
    assert decoded == []
    assert not Photo.objects.exists() and files_in(media_dir) == []


def test_pixel_limit_counts_every_frame_and_comes_from_settings(desk, settings):
    settings.PHOTO_MAX_PIXELS = 2_000

    response = upload(desk, ("loop.gif", files.animated("GIF", size=(32, 24))))

    assert messages_of(response) == [
        "“loop.gif” is 0.0023 megapixels across 3 frames; the limit is 0.002 megapixels."
    ]


def test_mixed_batch_saves_the_good_and_reports_the_bad(desk, media_dir, originals_dir):
    """A cut-off file passes the request's header checks; the worker (run at once here) fails it."""
    response = upload(
        desk,
        ("good.jpg", files.jpeg(files.picture(64, 48))),
        ("page.jpg", HTML),
        ("good.png", files.png(files.picture(40, 30))),
        ("cut.jpg", files.truncated(files.jpeg(files.picture(400, 300)))),
    )

    photos = list(Photo.objects.order_by("pk"))
    assert len(photos) == 3
    ids = ",".join(str(photo.pk) for photo in photos)
    assert response.redirect_chain[0][0] == reverse("photos:describe") + f"?ids={ids}"
    assert messages_of(response) == [
        "“page.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image.",
        "3 photos added to the library.",
    ]
    good, good_png, cut = photos
    assert [photo.status for photo in photos] == ["ready", "ready", "failed"]
    assert cut.processing_error == "“cut.jpg” is damaged or incomplete and cannot be opened."
    assert cut.processing_error in response.content.decode()
    public = {photo.image.name for photo in (good, good_png)} | {r.file.name for r in Rendition.objects.all()}
    assert names_in(media_dir) == public
    assert not cut.image and not cut.renditions.exists()
    assert names_in(originals_dir) == {photo.original.name for photo in photos}


def test_duplicate_points_to_the_existing_photo(desk, media_dir, originals_dir):
    data = files.jpeg()
    upload(desk, ("first.jpg", data))
    existing = Photo.objects.get()
    on_disk = files_in(media_dir) + files_in(originals_dir)

    response = upload(desk, ("again.jpg", data))

    assert Photo.objects.count() == 1
    assert files_in(media_dir) + files_in(originals_dir) == on_disk
    [message] = messages_of(response)
    assert message.startswith("“again.jpg” is already in the library as <a href=")
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()


def test_same_file_twice_in_one_batch_is_saved_once(desk):
    data = files.jpeg()

    response = upload(desk, ("a.jpg", data), ("b.jpg", data))

    assert Photo.objects.count() == 1
    assert "“b.jpg” is already in the library" in messages_of(response)[0]


# --- a full disk ------------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path):
    """A 200 KB tmpfs, mounted for this test (needs root and permission to mount)."""
    mount_point = tmp_path / "tiny-disk"
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        pytest.skip("No mount command here; test_full_disk_during_renditions covers ENOSPC without it.")
    if mounted.returncode != 0:
        pytest.skip(
            f"Cannot mount a tmpfs here ({mounted.stderr.strip() or mounted.returncode}); "
            "test_full_disk_during_renditions covers ENOSPC without it."
        )
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_full_media_disk_fails_the_photo_and_leaves_no_partial_file(desk, settings, tiny_disk, originals_dir):
    settings.MEDIA_ROOT = tiny_disk
    data = noise_jpeg(600, 450)  # the re-encoded master alone is bigger than the disk

    response = upload(desk, ("big.jpg", data), ("small.jpg", files.jpeg()))

    # The request only stores originals; the worker meets the full disk and gives up in the end.
    assert messages_of(response) == ["2 photos added to the library."]
    big, small = Photo.objects.order_by("pk")
    assert (big.status, big.processing_attempts) == (Photo.Status.FAILED, 3)
    assert "No space left on device" in big.processing_error
    assert not big.image and not big.renditions.exists()
    assert small.status == Photo.Status.READY
    assert names_in(tiny_disk) == {small.image.name} | {r.file.name for r in Rendition.objects.all()}
    assert names_in(originals_dir) == {big.original.name, small.original.name}


class DiskFillsUp(FileSystemStorage):
    """Writes part of the `fail_at`-th file, then fails as a full disk does."""

    saves = 0
    fail_at = 3

    def _save(self, name, content):
        DiskFillsUp.saves += 1
        if DiskFillsUp.saves < DiskFillsUp.fail_at:
            return super()._save(name, content)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device", str(path))


@pytest.mark.parametrize("fail_at", [1, 3], ids=["master", "a-rendition"])
def test_full_disk_during_renditions_is_retried_then_shown_to_staff(
    desk, settings, media_dir, originals_dir, monkeypatch, fail_at
):
    monkeypatch.setattr(DiskFillsUp, "saves", 0)
    monkeypatch.setattr(DiskFillsUp, "fail_at", fail_at)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.DiskFillsUp", "OPTIONS": {"location": media_dir}},
    }

    response = upload(desk, ("photo.jpg", files.jpeg(files.picture(400, 300))))

    assert messages_of(response) == ["1 photo added to the library."]
    photo = Photo.objects.get()
    assert (photo.status, photo.processing_attempts) == (Photo.Status.FAILED, 3)
    assert DiskFillsUp.saves == fail_at + 2  # the failing write, once per attempt
    assert not Rendition.objects.exists() and files_in(media_dir) == []
    assert [path.name for path in files_in(originals_dir)] == [photo.original.name]
    page = desk.get(photo.get_absolute_url())
    assert "Could not be processed" in page.text and "No space left on device" in page.text


def test_full_originals_disk_refuses_the_upload_and_keeps_nothing(desk, originals_dir, monkeypatch):
    monkeypatch.setattr(DiskFillsUp, "saves", 0)
    monkeypatch.setattr(DiskFillsUp, "fail_at", 1)
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", DiskFillsUp(location=originals_dir))

    response = upload(desk, ("photo.jpg", files.jpeg()))

    assert "could not be stored" in messages_of(response)[0]
    assert not Photo.objects.exists() and files_in(originals_dir) == []


@pytest.mark.parametrize("max_memory", [10 * 1024 * 1024, 1024], ids=["in-memory", "temporary-file"])
def test_upload_is_fingerprinted_as_it_streams_in(desk, settings, monkeypatch, max_memory):
    """The SHA-256 comes from the upload handlers, not from reading the file again."""
    from articles.photos import pipeline, uploads

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = max_memory
    data = files.jpeg(files.picture(400, 300), exif=files.exif_block(gps=files.gps_position()))
    streamed = []

    def spy(file):
        streamed.append(getattr(file, uploads.DIGEST_ATTRIBUTE, None))
        return uploads.sha256_of(file)

    monkeypatch.setattr(pipeline, "sha256_of", spy)

    upload(desk, ("harbour.jpg", data))

    assert streamed == [hashlib.sha256(data).hexdigest()]
    assert Photo.objects.get().sha256 == streamed[0]


def test_upload_spooled_to_a_temporary_file_is_moved_into_place_not_copied(desk, settings, monkeypatch):
    from django.core.files.storage import filesystem

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    moved = []
    real_move = filesystem.file_move_safe

    def move(source, target, **options):
        moved.append(target)
        return real_move(source, target, **options)

    monkeypatch.setattr(filesystem, "file_move_safe", move)

    upload(desk, ("harbour.jpg", files.jpeg(files.picture(400, 300), exif=files.exif_block())))

    assert [Path(target).name for target in moved] == [Photo.objects.get().original.name]
