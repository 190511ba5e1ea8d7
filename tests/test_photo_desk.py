"""The photo desk, through its real pages: upload, describe, library, detail, originals, login.

Every metadata, validation and processing rule is checked by POSTing real image files
(built by tests/imagefiles.py) to the upload view, then looking at the rows and the files
on disk.
"""

import datetime
import errno
import io
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile

from articles.models import Photo, Rendition
from articles.photos.views import PhotoLibraryView
from tests import imagefiles as files
from tests.factories import ArticleFactory, ContributorFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD = "/photos/upload/"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php echo shell_exec($_GET['c']); ?>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9"/></svg>'


@pytest.fixture(autouse=True)
def originals_dir(media_storage, monkeypatch):
    """This test's private originals folder.

    Photo.original resolves its storage once, at import, so the settings override in
    conftest does not reach it; point the field at the per-test storage as well.
    """
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", storages["originals"])
    return media_storage / "originals"


@pytest.fixture
def media_dir(media_storage):
    return media_storage / "media"


def member_of(group, username):
    user = UserFactory(username=username, first_name=username.title())
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def photo_editor():
    return member_of("Photo editor", "pat")


@pytest.fixture
def desk(client, photo_editor):
    client.force_login(photo_editor)
    return client


def upload(client, *named_files, **fields):
    """POST (name, bytes) pairs to the upload view as one multi-file upload; follow redirects."""
    images = [SimpleUploadedFile(name, data, content_type="image/jpeg") for name, data in named_files]
    return client.post(UPLOAD, {"images": images, **fields}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def files_in(folder):
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


def names_in(folder):
    return {path.relative_to(folder).as_posix() for path in files_in(folder)}


def noise_jpeg(width, height, quality=95):
    """A JPEG of random pixels: it barely compresses, so it is big for its size."""
    import os

    return files.encode(
        Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)), "JPEG", quality=quality
    )


def opened(field_file):
    with field_file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


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


# --- metadata -------------------------------------------------------------------------------------


def test_iptc_fills_the_empty_fields(desk):
    data = files.jpeg(
        iptc={
            files.CAPTION_ABSTRACT: "Flood water reaches the steps of the town hall.",
            files.OBJECT_NAME: "Town hall flood",
            files.BY_LINE: "Ana Lima",
            files.CREDIT: "Ana Lima / Wire Agency",
            files.SOURCE: "Wire Agency",
            files.COPYRIGHT_NOTICE: "© Wire Agency 2024",
        }
    )

    upload(desk, ("flood.jpg", data))
    photo = Photo.objects.get()

    assert photo.caption == "Flood water reaches the steps of the town hall."
    assert photo.title == "Town hall flood"
    assert photo.photographer == "Ana Lima"
    assert photo.credit == "Ana Lima / Wire Agency"
    assert photo.source == "Wire Agency"
    assert photo.copyright_notice == "© Wire Agency 2024"


@pytest.mark.parametrize(("builder", "name"), [(files.jpeg, "dawn.jpg"), (files.png, "dawn.png")])
def test_xmp_fills_the_empty_fields(desk, builder, name):
    xmp = files.xmp_packet(
        description="Mist over the river at dawn.",
        creators=["Sam Okafor"],
        credit="Sam Okafor / Riverside Press",
    )

    upload(desk, (name, builder(xmp=xmp)))
    photo = Photo.objects.get()

    assert (photo.caption, photo.photographer, photo.credit) == (
        "Mist over the river at dawn.",
        "Sam Okafor",
        "Sam Okafor / Riverside Press",
    )


def test_exif_fills_the_empty_fields(desk):
    exif = files.exif_block(
        description="Runners at the start line.",
        artist="Lee Park",
        copyright="© Lee Park".encode(),
        taken_at="2024:05:01 14:30:00",
        offset="+02:00",
    )

    upload(desk, ("marathon.jpg", files.jpeg(exif=exif)))
    photo = Photo.objects.get()

    assert (photo.caption, photo.photographer, photo.copyright_notice) == (
        "Runners at the start line.",
        "Lee Park",
        "© Lee Park",
    )
    assert photo.taken_at == datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)


def test_what_the_user_types_wins_over_the_file(desk):
    data = files.jpeg(
        iptc={files.BY_LINE: "Ana Lima", files.CREDIT: "Wire Agency", files.SOURCE: "Wire Agency"},
        exif=files.exif_block(artist="Somebody Else"),
    )

    upload(
        desk,
        ("flood.jpg", data),
        photographer="Jo Staff",
        source="The Newsroom",
        credit="Jo Staff / The Newsroom",
    )
    photo = Photo.objects.get()

    assert (photo.photographer, photo.source, photo.credit) == (
        "Jo Staff",
        "The Newsroom",
        "Jo Staff / The Newsroom",
    )


def test_typed_fields_apply_to_every_file_and_the_file_fills_the_rest(desk):
    tagged = files.jpeg(iptc={files.CAPTION_ABSTRACT: "From the file.", files.CREDIT: "File credit"})

    upload(desk, ("a.jpg", tagged), ("b.png", files.png()), source="Continental Press")
    a, b = Photo.objects.order_by("pk")

    assert (a.source, a.caption, a.credit) == ("Continental Press", "From the file.", "File credit")
    assert (b.source, b.caption, b.credit) == ("Continental Press", "", "Continental Press")


def test_credit_is_composed_from_photographer_and_agency(desk):
    upload(desk, ("a.jpg", files.jpeg()), photographer="Jane Doe", source="Continental Press")

    assert Photo.objects.get().credit == "Jane Doe / Continental Press"


def test_credit_is_composed_from_the_files_byline_and_source(desk):
    upload(desk, ("a.jpg", files.jpeg(iptc={files.BY_LINE: "Ana Lima", files.SOURCE: "Wire Agency"})))

    assert Photo.objects.get().credit == "Ana Lima / Wire Agency"


@pytest.mark.parametrize(
    ("encoding", "declare_utf8", "caption", "byline"),
    [
        ("utf-8", True, "Zoë Saldaña opens the café in São Paulo — «merci»", "Jürgen Łukasz"),
        ("latin-1", False, "Zoë opens the café in Málaga", "Jürgen Müller"),
    ],
    ids=["utf-8", "latin-1"],
)
def test_iptc_text_comes_out_right_in_utf8_and_latin1(desk, encoding, declare_utf8, caption, byline):
    data = files.jpeg(
        iptc={files.CAPTION_ABSTRACT: caption, files.BY_LINE: byline},
        iptc_encoding=encoding,
        declare_utf8=declare_utf8,
    )

    upload(desk, ("cafe.jpg", data))
    photo = Photo.objects.get()

    assert (photo.caption, photo.photographer) == (caption, byline)
    assert caption in desk.get(reverse("photos:detail", args=[photo.pk])).content.decode()


# --- validation -----------------------------------------------------------------------------------

REFUSED = [
    ("page.jpg", HTML, "“page.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image."),
    ("shell.jpg", PHP, "“shell.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image."),
    ("shell.php", PHP, "“shell.php” is not a JPEG, PNG, WebP, GIF or HEIC image."),
    ("logo.svg", SVG, "“logo.svg” is an SVG drawing; upload a JPEG, PNG, WebP, GIF or HEIC image instead."),
    ("empty.jpg", b"", "“empty.jpg” is empty."),
    (
        "cut.jpg",
        files.truncated(files.jpeg(files.picture(400, 300))),
        "“cut.jpg” is damaged or incomplete and cannot be opened.",
    ),
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
    ids=["html", "php-as-jpg", "php", "svg", "empty", "truncated", "png-html-polyglot"],
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
    response = upload(
        desk,
        ("good.jpg", files.jpeg(files.picture(64, 48))),
        ("page.jpg", HTML),
        ("good.png", files.png(files.picture(40, 30))),
        ("cut.jpg", files.truncated(files.jpeg(files.picture(400, 300)))),
    )

    photos = list(Photo.objects.order_by("pk"))
    assert len(photos) == 2
    assert response.redirect_chain[0][0] == reverse("photos:describe") + f"?ids={photos[0].pk},{photos[1].pk}"
    assert messages_of(response) == [
        "“page.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image.",
        "“cut.jpg” is damaged or incomplete and cannot be opened.",
        "2 photos added to the library.",
    ]
    public = {photo.image.name for photo in photos} | {r.file.name for r in Rendition.objects.all()}
    assert names_in(media_dir) == public
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


# --- processing ------------------------------------------------------------------------------------


def test_exif_orientation_is_applied(desk):
    data = files.jpeg(files.marked_picture(80, 40, corner="top-left"), exif=files.exif_block(orientation=6))

    upload(desk, ("sideways.jpg", data))
    photo = Photo.objects.get()

    assert (photo.width, photo.height) == (40, 80)
    assert opened(photo.image).size == (40, 80)
    # Orientation 6 turns the picture clockwise: the top-left block ends up top-right.
    assert opened(photo.image).convert("RGB").getpixel((35, 5))[1] < 80
    for item in photo.renditions.filter(square=False):
        assert opened(item.file).size == (item.width, item.height) == (40, 80)


def camera_tagged_jpeg():
    exif = files.exif_block(
        artist="Ana Lima", copyright="© Ana Lima", taken_at="2024:05:01 14:30:00", gps=files.gps_position()
    )
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R5"  # Model
    xmp = files.xmp_packet(creators=["Ana Lima"], description="Secret location")
    return files.jpeg(files.picture(64, 48), exif=exif, xmp=xmp, iptc={files.BY_LINE: "Ana Lima"})


def test_public_files_carry_no_location_or_camera_data(desk, media_dir, originals_dir):
    data = camera_tagged_jpeg()
    assert b"Canon EOS R5" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(files.GPS_IFD)

    upload(desk, ("tagged.jpg", data))

    public_files = files_in(media_dir)
    assert len(public_files) == 1 + Rendition.objects.count()
    for path in public_files:
        content = path.read_bytes()
        for marker in (
            b"Exif\x00\x00",
            b"Photoshop 3.0",
            b"8BIM",
            b"xmpmeta",
            b"Canon",
            b"Ana Lima",
            b"Secret",
        ):
            assert marker not in content, (path.name, marker)
        image = Image.open(path)
        assert not image.getexif()
        assert "xmp" not in image.info and "exif" not in image.info
    [original] = files_in(originals_dir)
    assert original.read_bytes() == data  # staff keep the file exactly as it came


def test_originals_are_kept_outside_media_root_and_served_only_to_staff(
    desk, client, media_dir, originals_dir, photo_editor
):
    data = camera_tagged_jpeg()
    upload(desk, ("tagged.jpg", data))
    photo = Photo.objects.get()

    assert media_dir not in (originals_dir / photo.original.name).parents
    assert not any(path.read_bytes() == data for path in files_in(media_dir))
    assert Path(photo.original.name).name == f"{photo.sha256}.jpg"  # named by content, not by the user
    detail = desk.get(reverse("photos:detail", args=[photo.pk])).content.decode()
    assert reverse("photos:original", args=[photo.pk]) in detail

    response = desk.get(reverse("photos:original", args=[photo.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"] == f'attachment; filename="photo-{photo.pk}-original.jpg"'
    assert response["Cache-Control"] == "private, no-store"


def test_stored_names_come_from_the_content_hash(desk):
    upload(desk, ("../../etc/passwd.jpg", files.jpeg()), ("<script>.png", files.png()))

    for photo in Photo.objects.all():
        assert photo.image.name.startswith(f"photos/{photo.sha256}.")
        assert photo.original.name.startswith(photo.sha256)


def test_transparent_png_keeps_alpha_in_webp_and_is_flattened_in_jpeg(desk):
    upload(desk, ("logo.png", files.png(files.transparent_picture(40, 30))))
    photo = Photo.objects.get()

    assert photo.image.name.endswith(".png") and opened(photo.image).mode == "RGBA"
    webp = opened(photo.renditions.get(format="webp", square=False).file)
    jpeg = opened(photo.renditions.get(format="jpeg", square=False).file)
    assert webp.mode == "RGBA" and webp.getpixel((2, 2))[3] == 0
    assert jpeg.mode == "RGB" and min(jpeg.getpixel((2, 2))) > 240  # white where it was clear


def test_animated_gif_is_accepted_and_shown_as_its_first_frame(desk):
    upload(desk, ("loop.gif", files.animated("GIF", colours=("red", "blue", "green"))))
    photo = Photo.objects.get()

    master = opened(photo.image)
    assert getattr(master, "n_frames", 1) == 1
    red, green, blue = master.convert("RGB").getpixel((5, 5))
    assert red > 200 and green < 50 and blue < 50


def test_cmyk_and_16_bit_images_become_8_bit_rgb(desk):
    cmyk = files.jpeg(files.picture(64, 48, mode="CMYK"))
    rows = [b"".join((x * 1000).to_bytes(2, "big") * 3 for x in range(16)) for _ in range(8)]
    sixteen_bit = files.raw_png(16, 8, rows, bit_depth=16)

    upload(desk, ("print.jpg", cmyk), ("scan.png", sixteen_bit))

    assert Photo.objects.count() == 2
    for item in Rendition.objects.all():
        assert opened(item.file).mode in ("RGB", "RGBA")


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
