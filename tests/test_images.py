"""The photo desk's image layer: validation, metadata, the public master and renditions.

No database and no Django settings needed: `pytest tests/test_images.py -p no:django`.
"""

import hashlib
import io
import warnings
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from PIL import Image, ImageCms, ImageFile, JpegImagePlugin

from articles.photos import checks
from articles.photos.checks import ImageRejected, check_whole, inspect_image
from articles.photos.credits import compose_credit, split_credit
from articles.photos.imaging import RENDITION_WIDTHS, encode_master, make_rendition
from articles.photos.metadata import PhotoMetadata
from tests import imagefiles as files

NAME = "José Müller"
RED = (255, 0, 0)


def inspect(data, filename="photo.jpg"):
    return inspect_image(io.BytesIO(data), filename)


def master(data):
    return encode_master(io.BytesIO(data))


def rendition(data, **options):
    options.setdefault("format", "jpeg")
    return make_rendition(io.BytesIO(data), **options)


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def is_red(pixel):
    red, green, blue = pixel[:3]
    return red > 200 and green < 60 and blue < 60


@pytest.fixture(autouse=True)
def media_storage():
    """Nothing here touches storage; overriding conftest's fixture keeps these tests free of
    Django, so they also run with `-p no:django`."""


@pytest.fixture
def limits(monkeypatch):
    """Set the photo limits as Django settings would."""

    def set_limits(**values):
        monkeypatch.setattr(checks, "settings", SimpleNamespace(configured=True, **values))

    return set_limits


# Metadata


def test_iptc_fields_are_read():
    data = files.jpeg(
        iptc={
            files.CAPTION_ABSTRACT: "Fans at the Dam",
            files.OBJECT_NAME: "Fans",
            files.BY_LINE: "Jane Doe",
            files.CREDIT: "Jane Doe / Agency",
            files.SOURCE: "Agency",
            files.COPYRIGHT_NOTICE: "© Agency 2024",
        }
    )

    assert inspect(data).metadata == PhotoMetadata(
        caption="Fans at the Dam",
        title="Fans",
        photographer="Jane Doe",
        credit="Jane Doe / Agency",
        source="Agency",
        copyright_notice="© Agency 2024",
    )


@pytest.mark.parametrize(
    ("encoding", "declare_utf8"),
    [("utf-8", True), ("utf-8", False), ("latin-1", False)],
    ids=["utf8-declared", "utf8-undeclared", "latin1"],
)
def test_iptc_text_is_decoded_in_its_character_set(encoding, declare_utf8):
    iim = {files.BY_LINE: NAME, files.CAPTION_ABSTRACT: f"{NAME} in Zürich"}
    data = files.jpeg(iptc=iim, iptc_encoding=encoding, declare_utf8=declare_utf8)
    metadata = inspect(data).metadata

    assert metadata.photographer == NAME
    assert metadata.caption == f"{NAME} in Zürich"


def test_repeated_iptc_bylines_are_joined():
    data = files.jpeg(iptc={files.BY_LINE: ["Jane Doe", "John Roe"]})

    assert inspect(data).metadata.photographer == "Jane Doe, John Roe"


@pytest.mark.parametrize(
    ("builder", "filename"),
    [(files.jpeg, "photo.jpg"), (files.png, "photo.png"), (files.webp, "photo.webp")],
    ids=["jpeg", "png", "webp"],
)
def test_xmp_fields_are_read(builder, filename):
    xmp = files.xmp_packet(
        description="Fans at the Dam",
        title="Fans",
        creators=["Jane Doe", "John Roe"],
        credit="Agency file",
        source="Agency",
        rights="© Agency",
    )

    assert inspect(builder(xmp=xmp), filename).metadata == PhotoMetadata(
        caption="Fans at the Dam",
        title="Fans",
        photographer="Jane Doe, John Roe",
        credit="Agency file",
        source="Agency",
        copyright_notice="© Agency",
    )


def test_xmp_properties_written_as_attributes_are_read():
    xmp = files.xmp_packet(credit="Jane Doe / Agency", source="Agency", as_attributes=True)
    metadata = inspect(files.jpeg(xmp=xmp)).metadata

    assert (metadata.credit, metadata.source) == ("Jane Doe / Agency", "Agency")


def test_xmp_with_entities_is_ignored_but_the_photo_is_accepted():
    xmp = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY who "Mallory">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&who;</x:xmpmeta>'
    )
    data = files.jpeg(xmp=xmp, exif=files.exif_block(artist="Jane Doe"))

    assert inspect(data).metadata.photographer == "Jane Doe"


def test_exif_fields_are_read():
    exif = files.exif_block(
        description="Fans at the Dam",
        artist="Jane Doe",
        copyright="Copyright Agency",
        taken_at="2024:05:01 14:30:00",
    )

    assert inspect(files.jpeg(exif=exif)).metadata == PhotoMetadata(
        caption="Fans at the Dam",
        photographer="Jane Doe",
        copyright_notice="Copyright Agency",
        taken_at=datetime(2024, 5, 1, 14, 30),
    )


def test_exif_text_written_as_utf8_is_decoded():
    data = files.jpeg(exif=files.exif_block(artist=NAME.encode("utf-8")))

    assert inspect(data).metadata.photographer == NAME


def test_taken_at_carries_the_camera_utc_offset():
    exif = files.exif_block(taken_at="2024:05:01 14:30:00", offset="+02:00")
    taken_at = inspect(files.jpeg(exif=exif)).metadata.taken_at

    assert taken_at == datetime(2024, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))


def test_unset_camera_clock_gives_no_taken_at():
    exif = files.exif_block(taken_at="0000:00:00 00:00:00")

    assert inspect(files.jpeg(exif=exif)).metadata.taken_at is None


@pytest.mark.parametrize(
    ("iptc", "xmp", "exif", "expected"),
    [
        ("IPTC caption", "XMP caption", "EXIF caption", "IPTC caption"),
        (None, "XMP caption", "EXIF caption", "XMP caption"),
        (None, None, "EXIF caption", "EXIF caption"),
    ],
)
def test_iptc_wins_over_xmp_which_wins_over_exif(iptc, xmp, exif, expected):
    data = files.jpeg(
        iptc={files.CAPTION_ABSTRACT: iptc} if iptc else None,
        xmp=files.xmp_packet(description=xmp) if xmp else None,
        exif=files.exif_block(description=exif),
    )

    assert inspect(data).metadata.caption == expected


def test_empty_iptc_field_falls_back_to_xmp():
    data = files.jpeg(
        iptc={files.BY_LINE: "  ", files.CAPTION_ABSTRACT: "Caption"},
        xmp=files.xmp_packet(creators=["Jane Doe"]),
    )

    assert inspect(data).metadata.photographer == "Jane Doe"


def test_whitespace_and_nuls_are_stripped():
    data = files.jpeg(
        iptc={files.CAPTION_ABSTRACT: "  Fans at the Dam\x00\n", files.CREDIT: "\x00Agency "},
        exif=files.exif_block(artist=b"Jane Doe\x00\x00\x00  "),
    )
    metadata = inspect(data).metadata

    assert (metadata.caption, metadata.credit, metadata.photographer) == (
        "Fans at the Dam",
        "Agency",
        "Jane Doe",
    )


def test_photo_without_metadata_gives_empty_fields():
    assert inspect(files.jpeg()).metadata == PhotoMetadata()


# Validation: what is accepted


@pytest.mark.parametrize(
    ("data", "filename", "format"),
    [
        (files.jpeg(), "photo.jpg", "JPEG"),
        (files.jpeg(), "PHOTO.JPEG", "JPEG"),
        (files.png(), "photo.png", "PNG"),
        (files.webp(), "photo.webp", "WEBP"),
        (files.gif(), "photo.gif", "GIF"),
    ],
    ids=["jpg", "JPEG", "png", "webp", "gif"],
)
def test_accepted_formats_are_described(data, filename, format):
    inspected = inspect(data, filename)

    assert (inspected.format, inspected.width, inspected.height, inspected.frames) == (
        format,
        64,
        48,
        1,
    )
    assert inspected.sha256 == hashlib.sha256(data).hexdigest()


def test_size_is_given_upright():
    data = files.jpeg(files.picture(64, 48), exif=files.exif_block(orientation=6))

    assert (inspect(data).width, inspect(data).height) == (48, 64)


@pytest.mark.parametrize("format", ["GIF", "WEBP", "PNG"])
def test_animation_frames_are_counted(format):
    filename = f"loop.{format.lower()}"

    assert inspect(files.animated(format), filename).frames == 3


def test_multi_picture_camera_jpeg_is_a_jpeg_of_its_primary_picture():
    previews = [Image.new("RGB", (16, 12), "blue")]
    data = files.encode(files.picture(64, 48), "MPO", save_all=True, append_images=previews)
    assert Image.open(io.BytesIO(data)).format == "MPO"  # the test is fair
    inspected = inspect(data)

    assert (inspected.format, inspected.frames, inspected.width) == ("JPEG", 1, 64)
    assert master(data)[1:] == ("jpg", 64, 48)


def test_client_path_is_left_out_of_messages():
    with pytest.raises(ImageRejected, match="^“photo.jpg” is empty"):
        inspect(b"", r"C:\Users\desk\photo.jpg")


def test_file_position_is_rewound_for_the_caller():
    upload = io.BytesIO(files.jpeg())
    inspect_image(upload, "photo.jpg")
    assert upload.tell() == 0

    encode_master(upload)
    assert upload.tell() == 0

    make_rendition(upload, width=32, format="webp")
    assert upload.tell() == 0


# Validation: what is refused


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"<?php echo shell_exec($_GET['c']); ?>",
        b"#!/bin/sh\necho hello\n",
    ],
    ids=["html", "php", "script"],
)
def test_renamed_non_image_is_refused(content):
    with pytest.raises(ImageRejected) as refused:
        inspect(content, "photo.jpg")

    assert str(refused.value) == "“photo.jpg” is not a JPEG, PNG, WebP, GIF or HEIC image."


@pytest.mark.parametrize("filename", ["logo.svg", "logo.jpg"])
def test_svg_is_refused(filename):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'

    with pytest.raises(ImageRejected, match="is an SVG drawing"):
        inspect(svg, filename)


def test_empty_file_is_refused():
    with pytest.raises(ImageRejected, match="^“photo.jpg” is empty.$"):
        inspect(b"")


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (files.jpeg(files.picture(400, 300)), "photo.jpg"),
        (files.png(files.picture(400, 300)), "photo.png"),
        (files.webp(files.picture(400, 300)), "photo.webp"),
        (files.gif(files.picture(400, 300).convert("P")), "photo.gif"),
    ],
    ids=["jpeg", "png", "webp", "gif"],
)
def test_truncated_file_is_refused_by_the_whole_file_check(data, filename):
    with pytest.raises(ImageRejected) as refused:
        check_whole(io.BytesIO(files.truncated(data)), filename)

    assert str(refused.value) == f"“{filename}” is damaged or incomplete and cannot be opened."
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (files.jpeg(files.picture(400, 300)), "photo.jpg"),
        (files.png(files.picture(400, 300)), "photo.png"),
        (files.gif(files.picture(400, 300).convert("P")), "photo.gif"),
    ],
    ids=["jpeg", "png", "gif"],
)
def test_header_check_decodes_nothing_so_a_truncated_file_passes_it(data, filename, monkeypatch):
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda im: decoded.append(im) or real_load(im))

    inspected = inspect(files.truncated(data), filename)

    assert (inspected.width, inspected.height) == (400, 300)
    assert decoded == []


def test_whole_file_check_accepts_a_good_file():
    assert check_whole(io.BytesIO(files.jpeg(files.picture(400, 300))), "photo.jpg") == PhotoMetadata()


def test_animation_with_a_damaged_later_frame_is_refused_by_the_whole_file_check():
    data = files.truncated(files.animated("GIF", size=(64, 64)), keep=0.9)
    Image.open(io.BytesIO(data)).load()  # the first frame alone is fine
    inspect(data, "loop.gif")  # and the header is too

    with pytest.raises(ImageRejected, match="is damaged or incomplete"):
        check_whole(io.BytesIO(data), "loop.gif")


def test_file_over_the_byte_limit_is_refused_before_reading():
    upload = io.BytesIO(b"\x00" * (40 * 1024 * 1024 + 1))

    with pytest.raises(ImageRejected) as refused:
        inspect_image(upload, "huge.jpg")

    assert str(refused.value) == "“huge.jpg” is 40 MB; the limit is 40 MB."


def test_byte_limit_comes_from_settings(limits):
    limits(PHOTO_MAX_UPLOAD_BYTES=1024)
    data = files.jpeg(files.picture(200, 150))

    with pytest.raises(ImageRejected, match=r"is \d.* MB; the limit is 0"):
        inspect(data)


def test_pixel_bomb_is_refused_from_its_header():
    # 11000 x 10000 claimed over a few bytes of data: decoding it would need 330 MB.
    with pytest.raises(ImageRejected) as refused:
        inspect(files.raw_png(11_000, 10_000), "bomb.png")

    assert str(refused.value) == "“bomb.png” is 110 megapixels; the limit is 100 megapixels."


def test_pillow_decompression_bomb_error_is_a_rejection():
    with pytest.raises(ImageRejected, match="has too many pixels to open safely"):
        inspect(files.raw_png(20_000, 20_000), "bomb.png")


def test_pillow_bomb_warning_gives_way_to_the_photo_limit(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)  # 40 x 30 is over, but not twice
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert inspect(files.jpeg(files.picture(40, 30))).width == 40


def test_every_frame_counts_against_the_pixel_limit(limits):
    limits(PHOTO_MAX_PIXELS=2_000)
    assert inspect(files.gif(Image.new("P", (32, 24))), "still.gif").frames == 1

    with pytest.raises(ImageRejected) as refused:
        inspect(files.animated("GIF", size=(32, 24)), "loop.gif")

    assert str(refused.value) == (
        "“loop.gif” is 0.0023 megapixels across 3 frames; the limit is 0.002 megapixels."
    )


def test_format_must_match_the_extension():
    with pytest.raises(ImageRejected) as refused:
        inspect(files.png(), "photo.jpg")

    assert str(refused.value) == (
        "“photo.jpg” is a PNG image, but its name ends in .jpg. Rename it to end in .png and upload it again."
    )


@pytest.mark.parametrize("filename", ["photo.bmp", "photo", "photo.jpg.php"])
def test_unknown_extension_is_refused(filename):
    with pytest.raises(ImageRejected, match="must end in .jpg, .jpeg, .png, .webp, .gif, .heic or .heif"):
        inspect(files.jpeg(), filename)


def test_png_with_html_appended_named_jpg_is_refused():
    polyglot = files.png() + b"<html><script>alert(document.cookie)</script></html>"

    with pytest.raises(ImageRejected, match="is a PNG image, but its name ends in .jpg"):
        inspect(polyglot, "photo.jpg")


def test_jpeg_with_script_appended_is_accepted_because_the_public_gets_a_re_encoding():
    polyglot = files.jpeg() + b"<script>alert(document.cookie)</script>"
    assert inspect(polyglot).format == "JPEG"

    data, extension, _, _ = master(polyglot)

    assert extension == "jpg"
    assert b"<script>" not in data
    assert b"<script>" not in rendition(polyglot, width=32)[0]


# The public master


@pytest.mark.parametrize(
    ("data", "extension"),
    [
        (files.jpeg(), "jpg"),
        (files.webp(), "jpg"),
        (files.png(), "png"),
        (files.gif(), "png"),
        (files.webp(files.transparent_picture()), "png"),
        (files.png(files.transparent_picture()), "png"),
    ],
    ids=["jpeg", "opaque-webp", "png", "gif", "transparent-webp", "transparent-png"],
)
def test_master_format_follows_the_policy(data, extension):
    assert master(data)[1] == extension


def test_master_is_upright():
    stored = files.marked_picture(80, 40, corner="top-left")
    data, _, width, height = master(files.jpeg(stored, exif=files.exif_block(orientation=6)))
    upright = opened(data)

    assert (width, height) == upright.size == (40, 80)
    # Orientation 6 is "turn 90° clockwise to view": the top-left corner goes top-right.
    assert is_red(upright.getpixel((35, 5)))
    assert not is_red(upright.getpixel((5, 5)))


def test_master_long_edge_is_capped():
    data, _, width, height = master(files.jpeg(files.picture(5000, 50)))

    assert (width, height) == opened(data).size == (4096, 41)


def test_master_is_never_upscaled():
    assert master(files.jpeg(files.picture(64, 48)))[2:] == (64, 48)


def test_cmyk_jpeg_becomes_rgb():
    data, extension, _, _ = master(files.jpeg(files.picture().convert("CMYK")))

    assert (extension, opened(data).mode) == ("jpg", "RGB")


def test_16_bit_greyscale_png_is_scaled_to_8_bit():
    sixteen_bit = files.png(Image.new("I;16", (8, 6), 40_000))
    assert opened(sixteen_bit).mode == "I;16"

    upright = opened(master(sixteen_bit)[0])

    assert upright.mode == "RGB"
    assert upright.getpixel((0, 0)) == (155, 155, 155)  # 40000 / 257, not clipped to white


def test_16_bit_rgb_png_becomes_8_bit():
    row = bytes.fromhex("9c40 0000 ffff") * 8  # 16-bit samples per pixel: R, G, B
    upright = opened(master(files.raw_png(8, 6, [row] * 6, bit_depth=16))[0])

    assert (upright.mode, upright.getpixel((0, 0))) == ("RGB", (156, 0, 255))


def test_palette_png_becomes_rgb():
    palette = files.picture().convert("P", palette=Image.Palette.ADAPTIVE, colors=16)

    assert opened(master(files.png(palette))[0]).mode == "RGB"


def test_transparent_gif_keeps_its_transparency():
    image = files.transparent_picture().convert("P")
    data, extension, _, _ = master(files.gif(image, transparency=image.getpixel((0, 0))))
    upright = opened(data)

    assert (extension, upright.mode) == ("png", "RGBA")
    assert upright.getpixel((0, 0))[3] == 0


def test_transparent_png_keeps_its_alpha():
    upright = opened(master(files.png(files.transparent_picture()))[0])

    assert upright.mode == "RGBA"
    assert (upright.getpixel((0, 0))[3], upright.getpixel((39, 0))[3]) == (0, 255)


def test_fully_opaque_alpha_is_dropped():
    opaque = files.picture().convert("RGBA")

    assert opened(master(files.png(opaque))[0]).mode == "RGB"


@pytest.mark.parametrize("format", ["GIF", "WEBP", "PNG"])
def test_master_of_an_animation_is_its_first_frame(format):
    upright = opened(master(files.animated(format, colours=("red", "blue")))[0])

    assert is_red(upright.getpixel((5, 5)))


@pytest.mark.parametrize("builder", [files.jpeg, files.png, files.webp])
def test_icc_profile_is_applied_not_copied(builder):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert "icc_profile" in opened(builder(icc_profile=srgb)).info  # the test is fair

    data, _, _, _ = master(builder(icc_profile=srgb))

    assert "icc_profile" not in opened(data).info
    assert b"ICC_PROFILE" not in data and b"iCCP" not in data and b"ICCP" not in data


def test_unreadable_file_is_refused_by_master_too():
    with pytest.raises(ImageRejected, match="^The image is not a JPEG, PNG, WebP, GIF or HEIC image"):
        master(b"<html></html>")


# Metadata never reaches the public


def tagged_photo(builder):
    """A photo carrying GPS, camera EXIF, XMP and, for JPEG, IPTC, all naming the photographer."""
    exif = files.exif_block(
        artist=NAME.encode("utf-8"),
        copyright=f"© {NAME}".encode(),
        taken_at="2024:05:01 14:30:00",
        gps=files.gps_position(),
    )
    xmp = files.xmp_packet(creators=[NAME], rights=f"© {NAME}")
    if builder is files.jpeg:
        return builder(exif=exif, xmp=xmp, iptc={files.BY_LINE: NAME})
    return builder(exif=exif, xmp=xmp)


def public_outputs(data):
    yield master(data)[0]
    for format in ("jpeg", "webp"):
        yield rendition(data, width=32, format=format)[0]
        yield rendition(data, width=32, format=format, square=True)[0]


@pytest.mark.parametrize("builder", [files.jpeg, files.png, files.webp])
def test_public_files_carry_no_metadata(builder):
    data = tagged_photo(builder)
    assert b"GPS" in data or opened(data).getexif().get_ifd(files.GPS_IFD)  # the test is fair

    for output in public_outputs(data):
        image = opened(output)
        assert not image.getexif()
        assert not image.getexif().get_ifd(files.GPS_IFD)
        for marker in (
            b"Exif\x00\x00",
            b"EXIF",
            b"eXIf",
            b"Photoshop 3.0",
            b"8BIM",
            b"http://ns.adobe.com/xap/1.0/",
            b"xmpmeta",
            b"XMP ",
            b"iTXt",
        ):
            assert marker not in output
        for spelling in ("utf-8", "latin-1"):
            assert NAME.encode(spelling) not in output
            assert b"M\x00\xfc\x00ller" not in output


# Renditions


@pytest.mark.parametrize("format", ["jpeg", "webp"])
def test_rendition_has_the_asked_width(format):
    data, width, height = rendition(files.jpeg(files.picture(400, 300)), width=320, format=format)

    assert (width, height) == opened(data).size == (320, 240)
    assert opened(data).format == format.upper()


def test_rendition_is_never_upscaled():
    data, width, height = rendition(files.jpeg(files.picture(400, 300)), width=1280)

    assert (width, height) == opened(data).size == (400, 300)


def test_every_rendition_width_is_made_from_a_large_photo():
    photo = files.jpeg(files.picture(2600, 40))

    widths = [rendition(photo, width=width)[1] for width in RENDITION_WIDTHS]

    assert widths == list(RENDITION_WIDTHS)


def test_rendition_is_upright():
    stored = files.marked_picture(80, 40, corner="top-left")
    data, width, height = rendition(files.jpeg(stored, exif=files.exif_block(orientation=6)), width=20)

    assert (width, height) == (20, 40)
    assert is_red(opened(data).getpixel((18, 2)))


def test_square_rendition_is_cut_around_the_centre():
    photo = files.jpeg(files.marked_picture(80, 40, corner="top-right"))
    data, width, height = rendition(photo, width=20, square=True)

    assert (width, height) == opened(data).size == (20, 20)
    assert not any(is_red(opened(data).getpixel((x, 2))) for x in (2, 10, 18))


def test_square_rendition_follows_the_focal_point():
    photo = files.jpeg(files.marked_picture(80, 40, corner="top-right"))
    data, _, _ = rendition(photo, width=20, square=True, focal_point=(0.95, 0.5))

    assert is_red(opened(data).getpixel((17, 1)))


def test_square_rendition_is_never_upscaled():
    photo = files.jpeg(files.picture(80, 40))

    assert rendition(photo, width=640, square=True)[1:] == (40, 40)


def test_jpeg_rendition_flattens_transparency_on_white():
    data, _, _ = rendition(files.png(files.transparent_picture()), width=40, format="jpeg")
    flattened = opened(data)

    assert flattened.mode == "RGB"
    assert min(flattened.getpixel((2, 15))) > 245


def test_webp_rendition_keeps_transparency():
    data, _, _ = rendition(files.png(files.transparent_picture()), width=40, format="webp")
    kept = opened(data)

    assert kept.mode == "RGBA"
    assert (kept.getpixel((2, 15))[3], kept.getpixel((37, 15))[3]) == (0, 255)


@pytest.mark.parametrize("format", ["GIF", "WEBP"])
def test_rendition_of_an_animation_is_its_first_frame(format):
    data, _, _ = rendition(files.animated(format, colours=("red", "blue")), width=16)

    assert is_red(opened(data).getpixel((5, 5)))


def test_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    decoded_sizes = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        decoded_sizes.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    rendition(files.jpeg(files.picture(1600, 1200)), width=200)

    assert decoded_sizes == [(200, 150)]


def test_large_png_is_reduced_before_resampling(monkeypatch):
    reductions = []
    reduce = Image.Image.reduce

    def spy(self, factor, box=None):
        reductions.append(factor)
        return reduce(self, factor, box)

    monkeypatch.setattr(Image.Image, "reduce", spy)
    photo = files.picture(1600, 1200)
    data, width, height = rendition(files.png(photo), width=100)

    assert reductions[0] == 8  # down to 200 px, twice the target, before Lanczos
    assert (width, height) == opened(data).size == (100, 75)
    expected = photo.resize((100, 75), Image.Resampling.LANCZOS).getpixel((50, 37))
    assert all(abs(a - b) < 12 for a, b in zip(opened(data).getpixel((50, 37)), expected, strict=True))


@pytest.mark.parametrize("format", ["png", "gif", "avif"])
def test_rendition_format_must_be_jpeg_or_webp(format):
    with pytest.raises(ValueError, match="JPEG or WebP"):
        rendition(files.jpeg(), width=32, format=format)


def test_rendition_width_must_be_positive():
    with pytest.raises(ValueError, match="positive width"):
        rendition(files.jpeg(), width=0)


# Credits


@pytest.mark.parametrize(
    ("photographer", "source", "credit"),
    [
        ("Jane Doe", "Agency", "Jane Doe / Agency"),
        ("Jane Doe", "", "Jane Doe"),
        ("", "Agency", "Agency"),
        ("", "", ""),
        ("  Jane Doe ", " Agency ", "Jane Doe / Agency"),
    ],
)
def test_compose_credit(photographer, source, credit):
    assert compose_credit(photographer, source) == credit


@pytest.mark.parametrize(
    ("credit", "parts"),
    [
        ("Jane Doe / Agency file", ("Jane Doe", "Agency", True)),
        ("Jane Doe / Agency", ("Jane Doe", "Agency", False)),
        ("Agency", ("", "Agency", False)),
        ("Agency File", ("", "Agency", True)),
        ("Jane Doe/Agency", ("Jane Doe", "Agency", False)),
        ("Profile Pictures", ("", "Profile Pictures", False)),
        ("", ("", "", False)),
    ],
)
def test_split_credit(credit, parts):
    assert split_credit(credit) == parts


def test_split_credit_undoes_compose_credit():
    assert split_credit(compose_credit("Jane Doe", "Agency"))[:2] == ("Jane Doe", "Agency")


# HEIC from phones


def test_heic_is_accepted_with_its_metadata():
    exif = files.exif_block(artist=NAME.encode("utf-8"), gps=files.gps_position())
    data = files.heic(files.picture(64, 48), exif=exif, xmp=files.xmp_packet(creators=[NAME]))

    inspected = inspect(data, "IMG_0001.HEIC")

    assert (inspected.format, inspected.width, inspected.height) == ("HEIF", 64, 48)
    assert inspected.metadata.photographer == NAME


def test_heic_master_is_a_jpeg_without_metadata():
    exif = files.exif_block(artist=NAME.encode("utf-8"), gps=files.gps_position())
    data = files.heic(files.picture(64, 48), exif=exif, xmp=files.xmp_packet(creators=[NAME]))

    output, extension, width, height = master(data)

    assert (extension, width, height, opened(output).format) == ("jpg", 64, 48, "JPEG")
    assert not opened(output).getexif() and b"xmpmeta" not in output and NAME.encode() not in output


def test_heic_named_jpg_is_refused_with_the_right_name():
    with pytest.raises(ImageRejected, match=r"is a HEIC image, but its name ends in \.jpg.*\.heic"):
        inspect(files.heic(), "photo.jpg")


def test_jpeg_named_heic_is_refused():
    with pytest.raises(ImageRejected, match=r"is a JPEG image, but its name ends in \.heic"):
        inspect(files.jpeg(), "photo.heic")
