"""Checking a photo upload: in the request, from the header only, its byte size, pixel count
(every frame) and format against the file name (`inspect_image`); in the task worker, every frame
decoded to prove the file whole (`check_whole`). Each refusal is an `ImageRejected` whose text is
a sentence for the uploader. Pure functions over file objects; no models.

`imaging.py` opens accepted uploads through `opened` here too, so the pixel limit guards every decode.
"""

import hashlib
import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, UnidentifiedImageError
from pillow_heif import register_heif_opener

from .metadata import DECODING_ERRORS, PhotoMetadata, orientation_of, read_metadata

# HEIF is what iPhones save (.heic); pillow-heif teaches Pillow to read it.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "HEIF": "HEIC"}
FORMAT_BY_EXTENSION = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
    "gif": "GIF",
    "heic": "HEIF",
    "heif": "HEIF",
}
EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "HEIF": "heic"}


# Once, here: every path a photo comes in by (desk, admin, wire) opens it through this module.
# libheif applies the HEIF rotation itself and pillow-heif then reports EXIF orientation 1.
register_heif_opener()


class ImageRejected(ValueError):
    """An upload the photo desk will not take; str() is a sentence to show the uploader."""


@dataclass
class InspectedImage:
    sha256: str
    format: str
    width: int
    height: int
    metadata: PhotoMetadata = field(default_factory=PhotoMetadata)
    frames: int = 1


def limit(name, default):
    # The module also runs outside Django (benchmarks, tests without a settings module).
    return getattr(settings, name, default) if settings.configured else default


def _max_upload_bytes():
    return limit("PHOTO_MAX_UPLOAD_BYTES", 40 * 1024 * 1024)


def _max_pixels():
    return limit("PHOTO_MAX_PIXELS", 100_000_000)


def _subject(name):
    return f"“{name}”" if name else "The image"


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _megapixels(pixels):
    megapixels = pixels / 1_000_000
    return f"{megapixels:.1f}".removesuffix(".0") if megapixels >= 1 else f"{megapixels:.2g}"


def display_name(filename):
    # Some browsers send the whole client-side path.
    return str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]


@contextmanager
def _reading(name):
    """Turn Pillow's ways of failing into ImageRejected with a sentence for the uploader."""
    with warnings.catch_warnings():
        # Our own pixel limit is checked from the header before decoding, so Pillow's
        # softer warning threshold would only add noise; its hard error is still honoured.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            yield
        except ImageRejected:
            raise
        except Image.DecompressionBombError as error:
            raise ImageRejected(
                f"{_subject(name)} has too many pixels to open safely; "
                f"the limit is {_megapixels(_max_pixels())} megapixels."
            ) from error
        except DECODING_ERRORS as error:
            raise ImageRejected(f"{_subject(name)} is damaged or incomplete and cannot be opened.") from error


def format_of(im):
    # Cameras write multi-picture JPEGs (a primary image plus previews); Pillow calls them MPO.
    return "JPEG" if im.format == "MPO" else im.format


def _frame_count(im):
    if im.format == "MPO":
        return 1
    return getattr(im, "n_frames", 1)


def _check_pixels(im, name):
    frames = _frame_count(im)
    pixels = im.width * im.height * frames
    limit = _max_pixels()
    if pixels > limit:
        across = f" across {frames} frames" if frames > 1 else ""
        raise ImageRejected(
            f"{_subject(name)} is {_megapixels(pixels)} megapixels{across}; "
            f"the limit is {_megapixels(limit)} megapixels."
        )


@contextmanager
def opened(fileobj, name=None):
    """Open the picture and check its size from the header, before any pixel is decoded."""
    try:
        with _reading(name):
            fileobj.seek(0)
            try:
                im = Image.open(fileobj, formats=ACCEPTED_FORMATS)
            except UnidentifiedImageError:
                raise _not_an_image(fileobj, name) from None
            with im:
                _check_pixels(im, name)
                yield im
    finally:
        # The same upload goes on to the next step (storing the original, the master, ...).
        fileobj.seek(0)


def load_unless_jpeg(im):
    # A JPEG stays lazy so that draft() can still pick a smaller decoding scale. Anything else
    # is decoded now, before metadata is read: a PNG's EXIF block may follow its pixels.
    if format_of(im) != "JPEG":
        im.load()


def _upright_size(im):
    if orientation_of(im, header_only=True) in (5, 6, 7, 8):
        return im.height, im.width
    return im.width, im.height


def _byte_size(fileobj):
    size = fileobj.seek(0, io.SEEK_END)
    fileobj.seek(0)
    return size


def _sha256(fileobj):
    fileobj.seek(0)
    digest = hashlib.sha256()
    while chunk := fileobj.read(1024 * 1024):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _not_an_image(fileobj, name):
    fileobj.seek(0)
    head = fileobj.read(4096).lower()
    if b"<svg" in head or (name or "").lower().endswith((".svg", ".svgz")):
        return ImageRejected(
            f"{_subject(name)} is an SVG drawing; upload a JPEG, PNG, WebP, GIF or HEIC image instead."
        )
    return ImageRejected(f"{_subject(name)} is not a JPEG, PNG, WebP, GIF or HEIC image.")


def _check_extension(detected, name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = FORMAT_BY_EXTENSION.get(extension)
    if expected is None:
        raise ImageRejected(f"{_subject(name)} must end in .jpg, .jpeg, .png, .webp, .gif, .heic or .heif.")
    if expected != detected:
        raise ImageRejected(
            f"{_subject(name)} is a {FORMAT_LABELS[detected]} image, but its name ends in "
            f".{extension}. Rename it to end in .{EXTENSION_BY_FORMAT[detected]} and upload it "
            "again."
        )


def inspect_image(fileobj, filename, *, sha256=None):
    """Check an upload from its header and read what the desk needs now, or raise ImageRejected.

    Cheap enough for the upload request: the byte size before anything is read, then, from the
    header alone, the format against the name and the pixel count (every frame). No pixel is
    decoded here, so a truncated or corrupt file passes; the task worker decodes it whole
    (`check_whole`) and marks it failed. `sha256`, when the upload handler already took it,
    saves reading the file again.
    """
    name = display_name(filename)
    size = _byte_size(fileobj)
    if size == 0:
        raise ImageRejected(f"{_subject(name)} is empty.")
    limit = _max_upload_bytes()
    if size > limit:
        raise ImageRejected(
            f"{_subject(name)} is {_megabytes(size)} MB; the limit is {_megabytes(limit)} MB."
        )
    with opened(fileobj, name) as im:
        detected = format_of(im)
        _check_extension(detected, name)
        frames = _frame_count(im)
        width, height = _upright_size(im)
        # What the header holds: all of a JPEG's, HEIC's and WebP's; a PNG or GIF may keep more
        # after its pixels, which the worker reads once it has decoded them.
        metadata = read_metadata(im, header_only=True)
    return InspectedImage(
        sha256=sha256 or _sha256(fileobj),
        format=detected,
        width=width,
        height=height,
        metadata=metadata,
        frames=frames,
    )


def check_whole(fileobj, filename):
    """Decode every frame to prove the file whole, or raise ImageRejected.

    For the task worker: it costs a full decode (JPEG at 1/8 scale, which still reads every
    byte of the scan at 1/64 of the memory). Returns the metadata found only once the pixels
    were read (a PNG's EXIF block after its image data); fields the header already gave are
    left blank, as the request read those.
    """
    name = display_name(filename)
    with opened(fileobj, name) as im:
        from_header = read_metadata(im, header_only=True)
        load_unless_jpeg(im)
        whole = read_metadata(im)
        if format_of(im) == "JPEG":
            im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
        for frame in range(_frame_count(im)):
            im.seek(frame)
            im.load()
    late = {
        name: value
        for name, value in vars(whole).items()
        if value and value != getattr(from_header, name)
    }
    return PhotoMetadata(**late)
