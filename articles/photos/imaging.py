"""The photo desk's image processing: making the public master and the renditions from one
decode of an accepted upload. Pure functions over file objects; no models. Uploads are checked
by `checks.py`; captions and credits are read by `metadata.py`.

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

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from PIL import Image, ImageCms

from .checks import format_of, limit, load_unless_jpeg, opened
from .metadata import orientation_of

RENDITION_WIDTHS = (320, 640, 960, 1280, 1920, 2560)
# Square crops for thumbnails and headshots, at one and three times 160 CSS pixels.
SQUARE_WIDTHS = (160, 480)
RENDITION_FORMATS = ("jpeg", "webp")
MASTER_LONG_EDGE = 4096

MASTER_JPEG_OPTIONS = {"quality": 90, "optimize": True}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True}
# libwebp's method 2 is about twice as fast as its default 4 for files ~3 % bigger (bench/README.md).
WEBP_OPTIONS = {"quality": 80, "method": 2}

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
    with opened(fileobj) as im:
        load_unless_jpeg(im)
        source_format = format_of(im)
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
    return max(1, int(limit("PHOTO_RENDITION_THREADS", 1)))


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
