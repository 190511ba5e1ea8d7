"""The photo desk's image processing: checking uploads, reading captions and credits, and
making the public master and the renditions. Pure functions over file objects; no models.

Policy for what the public gets:

- Every public file is re-encoded from decoded pixels, so nothing but pixels survives: no EXIF
  (and so no GPS), IPTC, XMP, comments or ICC profile. Pictures tagged with an ICC profile are
  converted to sRGB first; CMYK, 16-bit and palette pictures become 8-bit RGB (or RGBA).
- EXIF orientation is applied, so the stored pixels are upright.
- Transparency is kept only where it is real: an alpha channel that is fully opaque is dropped.
  A transparent picture gets a PNG master; JPEG renditions are flattened on white and WebP
  renditions keep the alpha channel.
- The master is a PNG for PNG and GIF uploads (graphics stay lossless) and for anything
  transparent, otherwise a JPEG. It is at most 4096 px on the long edge and never upscaled.
- Animated GIF, WebP and PNG uploads are accepted (every frame counts against the pixel limit
  and every frame must decode), but the public master and renditions show the first frame only.
- The untouched original is the caller's to keep privately; these functions never write it.
"""

import hashlib
import io
import math
import re
import struct
import warnings
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from defusedxml import ElementTree
from django.conf import settings
from PIL import Image, ImageCms, ImageOps, IptcImagePlugin, UnidentifiedImageError

RENDITION_WIDTHS = (320, 640, 960, 1280, 1920, 2560)
MASTER_LONG_EDGE = 4096

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
FORMAT_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
FORMAT_BY_EXTENSION = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

# Errors Pillow raises for files it recognises but cannot decode.
DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)
METADATA_ERRORS = (*DECODING_ERRORS, KeyError, TypeError, UnicodeError)

IPTC_FIELDS = {
    (2, 120): "caption",
    (2, 5): "title",
    (2, 80): "photographer",
    (2, 110): "credit",
    (2, 115): "source",
    (2, 116): "copyright_notice",
}
IPTC_CODED_CHARACTER_SET = (1, 90)
IPTC_UTF8 = b"\x1b%G"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XMP_FIELDS = {
    f"{{{DC}}}description": "caption",
    f"{{{DC}}}title": "title",
    f"{{{DC}}}creator": "photographer",
    f"{{{PHOTOSHOP}}}Credit": "credit",
    f"{{{PHOTOSHOP}}}Source": "source",
    f"{{{DC}}}rights": "copyright_notice",
}

EXIF_FIELDS = {0x010E: "caption", 0x013B: "photographer", 0x8298: "copyright_notice"}
EXIF_ORIENTATION = 0x0112
EXIF_IFD = 0x8769
EXIF_DATE_TIME_ORIGINAL = 0x9003
EXIF_OFFSET_TIME_ORIGINAL = 0x9011


class ImageRejected(ValueError):
    """An upload the photo desk will not take; str() is a sentence to show the uploader."""


@dataclass(frozen=True)
class PhotoMetadata:
    caption: str = ""
    title: str = ""
    photographer: str = ""
    credit: str = ""
    source: str = ""
    copyright_notice: str = ""
    # Camera local time; timezone-aware only when the camera recorded its UTC offset.
    taken_at: datetime | None = None


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


def _exif(im):
    try:
        return im.getexif()
    except METADATA_ERRORS:
        return None


def _orientation(im):
    exif = _exif(im)
    orientation = exif.get(EXIF_ORIENTATION, 1) if exif is not None else 1
    return orientation if orientation in range(1, 9) else 1


def _upright_size(im):
    if _orientation(im) in (5, 6, 7, 8):
        return im.height, im.width
    return im.width, im.height


def _clean(text):
    return text.replace("\x00", " ").strip()


def _decode_text(raw, *, utf8=False):
    if utf8:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _iptc_metadata(im):
    try:
        datasets = IptcImagePlugin.getiptcinfo(im) or {}
    except METADATA_ERRORS:
        return {}
    charset = datasets.get(IPTC_CODED_CHARACTER_SET)
    if isinstance(charset, list):
        charset = charset[0]
    utf8 = charset == IPTC_UTF8
    found = {}
    for key, name in IPTC_FIELDS.items():
        raw = datasets.get(key)
        if raw is None:
            continue
        # Repeatable datasets (several By-lines) come back as a list.
        parts = raw if isinstance(raw, list) else [raw]
        text = ", ".join(filter(None, (_clean(_decode_text(p, utf8=utf8)) for p in parts)))
        if text:
            found[name] = text
    return found


def _xmp_value(element):
    items = element.findall(f"{{{RDF}}}Alt/{{{RDF}}}li")
    if items:
        default = [li for li in items if li.get(XML_LANG) == "x-default"]
        return (default or items)[0].text or ""
    items = element.findall(f"{{{RDF}}}Seq/{{{RDF}}}li") + element.findall(f"{{{RDF}}}Bag/{{{RDF}}}li")
    if items:
        return ", ".join(filter(None, (_clean(li.text or "") for li in items)))
    return element.text or ""


def _xmp_metadata(im):
    packet = im.info.get("xmp")
    if not packet:
        return {}
    if isinstance(packet, str):
        packet = packet.encode("utf-8")
    try:
        root = ElementTree.fromstring(packet.strip(b"\x00 \t\r\n"))
    except (ElementTree.ParseError, ValueError):
        # Unparseable, or refused by defusedxml (entities, DTDs): read the file without it.
        return {}
    found = {}
    for description in root.iter(f"{{{RDF}}}Description"):
        for tag, name in XMP_FIELDS.items():
            if name in found:
                continue
            value = description.get(tag)
            if value is None:
                element = description.find(tag)
                value = _xmp_value(element) if element is not None else ""
            if value := _clean(value):
                found[name] = value
    return found


def _exif_text(value):
    if isinstance(value, bytes):
        return _decode_text(value)
    if not isinstance(value, str):
        return ""
    # Pillow reads EXIF strings as Latin-1, but most software writes UTF-8 there.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _taken_at(exif):
    try:
        details = exif.get_ifd(EXIF_IFD)
    except METADATA_ERRORS:
        return None
    stamp = _clean(_exif_text(details.get(EXIF_DATE_TIME_ORIGINAL)))
    try:
        taken_at = datetime.strptime(stamp[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = _clean(_exif_text(details.get(EXIF_OFFSET_TIME_ORIGINAL)))
    if match := re.fullmatch(r"([+-])(\d\d):(\d\d)", offset):
        sign = -1 if match[1] == "-" else 1
        delta = timedelta(hours=int(match[2]), minutes=int(match[3]))
        taken_at = taken_at.replace(tzinfo=timezone(sign * delta))
    return taken_at


def _exif_metadata(im):
    exif = _exif(im)
    if exif is None:
        return {}, None
    found = {}
    for tag, name in EXIF_FIELDS.items():
        if value := _clean(_exif_text(exif.get(tag))):
            found[name] = value
    return found, _taken_at(exif)


def read_metadata(im):
    """Caption, credit and the rest from an open Pillow image: IPTC, then XMP, then EXIF."""
    exif_fields, taken_at = _exif_metadata(im)
    fields = {**exif_fields, **_xmp_metadata(im), **_iptc_metadata(im)}
    return PhotoMetadata(**fields, taken_at=taken_at)


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
            f"{_subject(name)} is an SVG drawing; upload a JPEG, PNG, WebP or GIF image instead."
        )
    return ImageRejected(f"{_subject(name)} is not a JPEG, PNG, WebP or GIF image.")


def _check_extension(detected, name):
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = FORMAT_BY_EXTENSION.get(extension)
    if expected is None:
        raise ImageRejected(f"{_subject(name)} must end in .jpg, .jpeg, .png, .webp or .gif.")
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


_srgb_profile = None


def _srgb():
    global _srgb_profile
    if _srgb_profile is None:
        _srgb_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _srgb_profile


def _to_srgb(picture):
    """Return 8-bit RGB, or RGBA when the picture has real transparency, in sRGB, no metadata."""
    icc_profile = picture.info.get("icc_profile")
    if picture.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # Converting straight to "L" would clip everything above 255 to white.
        picture = picture.convert("I").point(lambda value: value * (1 / 257)).convert("L")
    elif picture.mode not in ("RGB", "RGBA", "CMYK", "L"):
        picture = picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    elif picture.has_transparency_data and picture.mode != "RGBA":
        picture = picture.convert("RGBA")
    target = "RGBA" if picture.mode == "RGBA" else "RGB"
    converted = None
    if icc_profile:
        try:
            converted = ImageCms.profileToProfile(
                picture,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                _srgb(),
                outputMode=target,
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


def _decode(im, *, scale):
    """Decode the first frame upright in sRGB, at no less than `scale` of its full size.

    JPEGs are decoded at the smallest DCT scale (1/2, 1/4, 1/8) that is still big enough, and
    anything much bigger than needed is shrunk by whole-pixel averaging before the colour work,
    which keeps a 50-megapixel photo to a few tens of megabytes.
    """
    full_width = im.width
    if scale < 1 and _format(im) == "JPEG":
        im.draft("RGB", (math.ceil(im.width * scale), math.ceil(im.height * scale)))
    im.load()
    # Averaging whole blocks is fast and lean; keep twice the target for the final resampling.
    factor = int(im.width / (full_width * scale * 2))
    if _orientation(im) != 1:
        # Pillow turns the pixels before it rewrites the EXIF, which may be what fails.
        with suppress(*METADATA_ERRORS):
            ImageOps.exif_transpose(im, in_place=True)
    picture = im
    if factor >= 2 and picture.mode in ("RGB", "RGBA", "L", "LA", "CMYK"):
        picture = picture.reduce(factor)
    return _to_srgb(picture)


def _fit(width, height, long_edge):
    if max(width, height) <= long_edge:
        return width, height
    if width >= height:
        return long_edge, max(1, round(height * long_edge / width))
    return max(1, round(width * long_edge / height)), long_edge


def _resized(picture, size, box=None):
    if picture.size == size and box is None:
        return picture
    return picture.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _encoded(picture, format, **options):
    buffer = io.BytesIO()
    picture.save(buffer, format, **options)
    return buffer.getvalue()


def encode_master(fileobj):
    """Re-encode an accepted upload as the public master: (data, extension, width, height).

    Upright, 8-bit sRGB, first frame only, at most MASTER_LONG_EDGE on the long edge, with
    no metadata. A PNG for transparent pictures and for PNG and GIF uploads, else a JPEG.
    """
    with _opened(fileobj) as im:
        _load_unless_jpeg(im)
        source_format = _format(im)
        width, height = _upright_size(im)
        size = _fit(width, height, MASTER_LONG_EDGE)
        picture = _resized(_decode(im, scale=size[0] / width), size)
        if picture.mode == "RGBA" or source_format in ("PNG", "GIF"):
            return _encoded(picture, "PNG"), "png", *size
        return _encoded(picture, "JPEG", quality=90, optimize=True), "jpg", *size


def _flattened(picture):
    if picture.mode != "RGBA":
        return picture
    background = Image.new("RGB", picture.size, "white")
    background.paste(picture, mask=picture.getchannel("A"))
    return background


def _square_box(width, height, focal_point):
    side = min(width, height)
    x, y = focal_point
    left = min(max(x * width - side / 2, 0), width - side)
    top = min(max(y * height - side / 2, 0), height - side)
    return (left, top, left + side, top + side)


def make_rendition(fileobj, *, width, format, square=False, focal_point=None):
    """Make one public rendition of an accepted upload: (data, width, height).

    `format` is "jpeg" (transparency flattened on white) or "webp" (alpha kept). Never
    upscales: asking for more than the picture has gives the picture's own width. With
    `square`, the largest square around `focal_point` ((x, y) from 0 to 1, default the
    centre) is cut out before resizing.
    """
    format = format.lower()
    if format not in ("jpeg", "webp"):
        raise ValueError(f"Renditions are JPEG or WebP, not {format!r}.")
    if width < 1:
        raise ValueError(f"A rendition needs a positive width, not {width}.")
    x, y = focal_point if focal_point is not None else (0.5, 0.5)
    focal_point = (min(max(float(x), 0.0), 1.0), min(max(float(y), 0.0), 1.0))
    with _opened(fileobj) as im:
        _load_unless_jpeg(im)
        full_width, full_height = _upright_size(im)
        if square:
            side = min(full_width, full_height)
            size = (min(width, side),) * 2
            picture = _decode(im, scale=size[0] / side)
            box = _square_box(*picture.size, focal_point)
            picture = _resized(picture, size, box=box)
        else:
            rendition_width = min(width, full_width)
            size = (rendition_width, max(1, round(full_height * rendition_width / full_width)))
            picture = _resized(_decode(im, scale=size[0] / full_width), size)
        if format == "jpeg":
            data = _encoded(_flattened(picture), "JPEG", quality=82, optimize=True, progressive=True)
        else:
            data = _encoded(picture, "WEBP", quality=80, method=4)
    return data, *size
