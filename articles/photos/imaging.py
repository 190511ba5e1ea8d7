"""The photo desk's image processing: checking uploads, and making the public master and the
renditions from one decode of the upload. Pure functions over file objects; no models.
Captions and credits are read by `metadata.py`.

Policy for what the public gets:

- Every public file is re-encoded from decoded pixels, so nothing but pixels survives: no EXIF
  (and so no GPS), IPTC, XMP, comments or ICC profile. Pictures tagged with an ICC profile are
  converted to sRGB first; CMYK, 16-bit and palette pictures become 8-bit RGB (or RGBA).
- EXIF orientation is applied, so the stored pixels are upright.
- Transparency is kept only where it is real: an alpha channel that is fully opaque is dropped.
  A transparent picture gets a PNG master; JPEG renditions are flattened on white and WebP
  renditions keep the alpha channel.
- The master is a PNG for PNG and GIF uploads (graphics stay lossless) and for anything
  transparent, otherwise a JPEG (HEIC photos from phones included). It is at most 4096 px on
  the long edge and never upscaled.
- Animated GIF, WebP and PNG uploads are accepted (every frame counts against the pixel limit
  and every frame must decode), but the public master and renditions show the first frame only.
- The untouched original is the caller's to keep privately; these functions never write it.

Speed (bench/README.md): the upload is decoded once, JPEGs at the smallest DCT scale still as
big as the master; it is shrunk before the colour work, and each rendition is resampled from the
next larger one, so a 24-megapixel photo's master and sixteen renditions take a few seconds.
"""

import hashlib
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from PIL import Image, ImageCms, UnidentifiedImageError
from pillow_heif import register_heif_opener

from .metadata import DECODING_ERRORS, METADATA_ERRORS, PhotoMetadata, orientation_of, read_metadata

__all__ = ["DECODING_ERRORS", "METADATA_ERRORS", "PhotoMetadata", "read_metadata"]

RENDITION_WIDTHS = (320, 640, 960, 1280, 1920, 2560)
# Square crops for thumbnails and headshots, at one and three times 160 CSS pixels.
SQUARE_WIDTHS = (160, 480)
RENDITION_FORMATS = ("jpeg", "webp")
MASTER_LONG_EDGE = 4096

MASTER_JPEG_OPTIONS = {"quality": 90, "optimize": True}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
# libwebp's method 2 is about twice as fast as its default 4 for files ~3 % bigger (bench/README.md).
WEBP_OPTIONS = {"quality": 80, "method": 2}

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

TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
LANCZOS = Image.Resampling.LANCZOS

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


def _limit(name, default):
    # The module also runs outside Django (benchmarks, tests without a settings module).
    return getattr(settings, name, default) if settings.configured else default


def _max_upload_bytes():
    return _limit("PHOTO_MAX_UPLOAD_BYTES", 40 * 1024 * 1024)


def _max_pixels():
    return _limit("PHOTO_MAX_PIXELS", 100_000_000)


def _subject(name):
    return f"“{name}”" if name else "The image"


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _megapixels(pixels):
    megapixels = pixels / 1_000_000
    return f"{megapixels:.1f}".removesuffix(".0") if megapixels >= 1 else f"{megapixels:.2g}"


def _display_name(filename):
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


def _format(im):
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
def _opened(fileobj, name=None):
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


def _load_unless_jpeg(im):
    # A JPEG stays lazy so that draft() can still pick a smaller decoding scale. Anything else
    # is decoded now, before metadata is read: a PNG's EXIF block may follow its pixels.
    if _format(im) != "JPEG":
        im.load()


def _upright_size(im):
    if orientation_of(im) in (5, 6, 7, 8):
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


def inspect_image(fileobj, filename):
    """Check an upload and read what the desk needs from it, or raise ImageRejected.

    The byte size is checked before anything is read, the pixel count (every frame) from the
    header before anything is decoded, and then every frame is decoded to prove the file whole.
    """
    name = _display_name(filename)
    size = _byte_size(fileobj)
    if size == 0:
        raise ImageRejected(f"{_subject(name)} is empty.")
    limit = _max_upload_bytes()
    if size > limit:
        raise ImageRejected(
            f"{_subject(name)} is {_megabytes(size)} MB; the limit is {_megabytes(limit)} MB."
        )
    sha256 = _sha256(fileobj)
    with _opened(fileobj, name) as im:
        detected = _format(im)
        _check_extension(detected, name)
        _load_unless_jpeg(im)
        frames = _frame_count(im)
        width, height = _upright_size(im)
        metadata = read_metadata(im)
        if detected == "JPEG":
            # Decoding at 1/8 scale still reads every byte of the scan, at 1/64 the memory.
            im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
        for frame in range(frames):
            im.seek(frame)
            im.load()
    return InspectedImage(
        sha256=sha256,
        format=detected,
        width=width,
        height=height,
        metadata=metadata,
        frames=frames,
    )


# --- the public master and the renditions ----------------------------------------------------


@dataclass(frozen=True)
class Encoded:
    """One public file: its bytes, extension and pixel size."""

    data: bytes
    extension: str
    width: int
    height: int


@dataclass
class Processed:
    master: Encoded | None
    # (asked width, square, format) -> Encoded; the asked width is the one in the plan.
    renditions: dict = field(default_factory=dict)


_srgb_profile = None


def _srgb():
    global _srgb_profile
    if _srgb_profile is None:
        _srgb_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _srgb_profile


def _resamplable(picture):
    """L, RGB, RGBA or CMYK: modes Pillow resamples well (P, 1, LA, I;16 ... are converted)."""
    if picture.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # Converting straight to "L" would clip everything above 255 to white.
        return picture.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    if picture.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    if picture.has_transparency_data and picture.mode != "RGBA":
        return picture.convert("RGBA")
    return picture


def _to_srgb(picture, icc_profile):
    """8-bit RGB, or RGBA when the picture has real transparency, in sRGB, with no metadata."""
    target = "RGBA" if picture.mode == "RGBA" else "RGB"
    converted = None
    if icc_profile:
        try:
            converted = ImageCms.profileToProfile(
                picture, ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)), _srgb(), outputMode=target
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            # A broken or mismatched profile: fall back to taking the numbers as sRGB.
            converted = None
    if converted is not None:
        picture = converted
    elif picture.mode != target:
        picture = picture.convert(target)
    if picture.mode == "RGBA" and picture.getchannel("A").getextrema()[0] == 255:
        picture = picture.convert("RGB")
    picture.info = {}
    return picture


def _shrink(picture, size):
    """Average whole blocks while the picture is over twice too big (fast and lean), then Lanczos."""
    if picture.size == size:
        return picture
    factor = min(picture.width // (size[0] * 2), picture.height // (size[1] * 2))
    if factor >= 2:
        picture = picture.reduce(factor)
    return picture.resize(size, LANCZOS)


def _fit(width, height, long_edge):
    if max(width, height) <= long_edge:
        return width, height
    if width >= height:
        return long_edge, max(1, round(height * long_edge / width))
    return max(1, round(width * long_edge / height)), long_edge


def _decode(fileobj, fit):
    """Decode the first frame once: upright 8-bit sRGB at the size `fit(width, height)` gives.

    The shrinking happens first, in the file's own orientation and colours, so that turning the
    picture and converting its colours touch only the pixels that are kept. Returns the picture
    and the upload's format.
    """
    with _opened(fileobj) as im:
        _load_unless_jpeg(im)
        source_format = _format(im)
        orientation = orientation_of(im)
        icc_profile = im.info.get("icc_profile")
        turned = orientation in (5, 6, 7, 8)
        upright = (im.height, im.width) if turned else im.size
        width, height = fit(*upright)
        stored_size = (height, width) if turned else (width, height)
        if source_format == "JPEG" and stored_size != im.size:
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale for little more than the cost of reading.
            im.draft(im.mode if im.mode in ("RGB", "L", "CMYK") else "RGB", stored_size)
        im.load()
        picture = _shrink(_resamplable(im), stored_size)
        if picture is im:
            picture = im.copy()
    if orientation != 1:
        picture = picture.transpose(TRANSPOSE_FOR_ORIENTATION[orientation])
    return _to_srgb(picture, icc_profile), source_format


def master_size(width, height):
    """The public master's size for an upright picture of this size."""
    return _fit(width, height, MASTER_LONG_EDGE)


def _encode_master(picture, source_format):
    buffer = io.BytesIO()
    if picture.mode == "RGBA" or source_format in ("PNG", "GIF"):
        picture.save(buffer, "PNG")
        return Encoded(buffer.getvalue(), "png", *picture.size)
    picture.save(buffer, "JPEG", **MASTER_JPEG_OPTIONS)
    return Encoded(buffer.getvalue(), "jpg", *picture.size)


def _flattened(picture):
    if picture.mode != "RGBA":
        return picture
    background = Image.new("RGB", picture.size, "white")
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def _check_format(format):
    if format not in RENDITION_FORMATS:
        raise ValueError(f"Renditions are JPEG or WebP, not {format!r}.")


def encode_rendition(picture, format):
    """One rendition file: JPEG (transparency flattened on white) or WebP (alpha kept)."""
    _check_format(format)
    buffer = io.BytesIO()
    if format == "jpeg":
        _flattened(picture).save(buffer, "JPEG", **JPEG_OPTIONS)
        return Encoded(buffer.getvalue(), "jpg", *picture.size)
    picture.save(buffer, "WEBP", **WEBP_OPTIONS)
    return Encoded(buffer.getvalue(), "webp", *picture.size)


def rendition_sizes(width, height, *, widths=RENDITION_WIDTHS, squares=SQUARE_WIDTHS):
    """[(asked width, square, (width, height))] for a master of that size: each width once, and
    none wider than the master (nothing is upscaled)."""
    plan = sorted({min(asked, width) for asked in widths})
    side = min(width, height)
    sizes = [(asked, False, (asked, max(1, round(height * asked / width)))) for asked in plan]
    sizes += [(asked, True, (asked, asked)) for asked in sorted({min(s, side) for s in squares})]
    return sizes


def _focal(focal_point):
    x, y = focal_point if focal_point is not None else (0.5, 0.5)
    return (min(max(float(x), 0.0), 1.0), min(max(float(y), 0.0), 1.0))


def _square_box(width, height, focal_point):
    side = min(width, height)
    x, y = focal_point
    left = min(max(x * width - side / 2, 0), width - side)
    top = min(max(y * height - side / 2, 0), height - side)
    return (left, top, left + side, top + side)


def _resized_all(master, sizes, focal_point):
    """Yield ((asked width, square), picture), each width from the next larger one.

    Every step shrinks by at most the ratio between two listed widths (at most 2), so no source
    pixel is skipped; squares are cut from the smallest size still big enough.
    """
    levels = [master]
    for asked, _square, size in sorted((s for s in sizes if not s[1]), key=lambda s: -s[2][0]):
        picture = levels[-1] if levels[-1].size == size else levels[-1].resize(size, LANCZOS)
        levels.append(picture)
        yield (asked, False), picture
    for asked, _square, size in sorted((s for s in sizes if s[1]), key=lambda s: -s[2][0]):
        base = min((level for level in levels if min(level.size) >= size[0]), key=lambda level: level.width)
        box = _square_box(*base.size, focal_point)
        yield (asked, True), base.resize(size, LANCZOS, box=box)


def _threads():
    return max(1, int(_limit("PHOTO_RENDITION_THREADS", 1)))


def process_upload(
    fileobj,
    *,
    widths=RENDITION_WIDTHS,
    squares=SQUARE_WIDTHS,
    formats=RENDITION_FORMATS,
    focal_point=None,
    threads=None,
    with_master=True,
    wanted=None,
):
    """The public master and every rendition from one decode of an accepted upload.

    `wanted`, a set of (asked width, square, format), limits the renditions encoded. With
    `threads` above 1 (default: the PHOTO_RENDITION_THREADS setting) the encoders run in a
    thread pool while the next size is resampled; Pillow releases the GIL in both.
    """
    for format in formats:
        _check_format(format)
    focal_point = _focal(focal_point)
    threads = _threads() if threads is None else threads
    picture, source_format = _decode(fileobj, master_size)
    sizes = rendition_sizes(*picture.size, widths=widths, squares=squares)
    jobs = (
        ((*key, format), resized, format)
        for key, resized in _resized_all(picture, sizes, focal_point)
        for format in formats
        if wanted is None or (*key, format) in wanted
    )
    if threads <= 1:
        master = _encode_master(picture, source_format) if with_master else None
        return Processed(master, {key: encode_rendition(resized, format) for key, resized, format in jobs})
    with ThreadPoolExecutor(threads) as pool:
        master = pool.submit(_encode_master, picture, source_format) if with_master else None
        futures = {key: pool.submit(encode_rendition, resized, format) for key, resized, format in jobs}
        return Processed(
            master.result() if master else None, {key: future.result() for key, future in futures.items()}
        )


def encode_master(fileobj):
    """Re-encode an accepted upload as the public master: (data, extension, width, height).

    Upright, 8-bit sRGB, first frame only, at most MASTER_LONG_EDGE on the long edge, with
    no metadata. A PNG for transparent pictures and for PNG and GIF uploads, else a JPEG.
    """
    master = _encode_master(*_decode(fileobj, master_size))
    return master.data, master.extension, master.width, master.height


def make_rendition(fileobj, *, width, format, square=False, focal_point=None):
    """Make one public rendition of an accepted upload: (data, width, height).

    For one-off use; the pipeline makes them all at once with `process_upload`. `format` is
    "jpeg" or "webp". Never upscales: asking for more than the picture has gives the picture's
    own width. With `square`, the largest square around `focal_point` ((x, y) from 0 to 1,
    default the centre) is cut out before resizing.
    """
    format = format.lower()
    _check_format(format)
    if width < 1:
        raise ValueError(f"A rendition needs a positive width, not {width}.")
    if square:

        def fit(full_width, full_height):
            scale = min(width, full_width, full_height) / min(full_width, full_height)
            return max(1, round(full_width * scale)), max(1, round(full_height * scale))

        picture, _ = _decode(fileobj, fit)
        side = min(picture.size)
        picture = picture.resize((side, side), LANCZOS, box=_square_box(*picture.size, _focal(focal_point)))
    else:

        def fit(full_width, full_height):
            out = min(width, full_width)
            return out, max(1, round(full_height * out / full_width))

        picture, _ = _decode(fileobj, fit)
    encoded = encode_rendition(picture, format)
    return encoded.data, encoded.width, encoded.height
