"""What the photo desk makes of an upload: upright, 8-bit sRGB public files with no camera or
location data, named by content hash, with the original kept privately.

Real image files (built by tests/imagefiles.py) are POSTed to the upload view, then the rows and
the files on disk are looked at.
"""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from articles.models import Photo, Rendition
from tests import imagefiles as files
from tests.photo_desk import files_in, opened, upload

pytestmark = pytest.mark.django_db


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
