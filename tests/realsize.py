"""Photos at real camera size, written with Pillow once per test session (never committed).

Each file is made the first time a test asks for it, so a run of one test makes only what it
needs; `corpus_file(name)` returns (path, upload name).
"""

import io
import shutil

from PIL import Image, ImageChops

from tests import imagefiles as files

PHOTOGRAPHER = "Ana Lima"
GPS_MARKERS = (b"Exif\x00\x00", b"EXIF", b"eXIf", b"Photoshop 3.0", b"8BIM", b"xmpmeta", b"XMP ", b"iTXt")


def camera_picture(width, height, mode="RGB"):
    """Gradients under noise: compresses like a photo, unlike a flat colour."""
    size = (width, height)
    noise = Image.effect_noise(size, 30)
    bands = [
        ImageChops.add(Image.linear_gradient("L").rotate(90).resize(size), noise, scale=1.3),
        ImageChops.add(Image.linear_gradient("L").resize(size), noise, scale=1.3),
        Image.radial_gradient("L").resize(size),
    ]
    return Image.merge("RGB", bands).convert(mode) if mode != "RGB" else Image.merge("RGB", bands)


def _tags():
    exif = files.exif_block(
        artist=PHOTOGRAPHER.encode(), taken_at="2026:05:01 14:30:00", gps=files.gps_position()
    )
    return exif, files.xmp_packet(creators=[PHOTOGRAPHER], rights=f"© {PHOTOGRAPHER}")


def _camera_jpeg(width, height, **exif_fields):
    exif, xmp = _tags()
    for tag, value in exif_fields.items():
        exif[tag] = value
    return files.jpeg(
        camera_picture(width, height), quality=90, exif=exif, xmp=xmp, iptc={files.BY_LINE: PHOTOGRAPHER}
    )


def _oriented(orientation):
    exif, xmp = _tags()
    exif[files.ORIENTATION] = orientation
    return files.jpeg(camera_picture(3000, 2000), quality=88, exif=exif, xmp=xmp)


def _sixteen_bit_png():
    grey = Image.linear_gradient("L").resize((3000, 2000)).point(lambda value: value * 257, "I")
    return files.encode(grey.convert("I;16"), "PNG")


def _alpha_png():
    # Smooth, unlike the photos: a transparent graphic, and quick to write as PNG.
    size = (2400, 1600)
    across, down = Image.linear_gradient("L").rotate(90).resize(size), Image.linear_gradient("L").resize(size)
    picture = Image.merge("RGBA", [across, down, across, Image.radial_gradient("L").resize(size)])
    return files.encode(picture, "PNG")


def _animated(format):
    frames = [camera_picture(1200, 800), Image.new("RGB", (1200, 800), "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format, save_all=True, append_images=frames[1:], duration=200, loop=0)
    return buffer.getvalue()


def _heic():
    exif, xmp = _tags()
    # Half an iPhone's 4032 x 3024: libheif's encoder is slow, and decoding is what is tested.
    return files.heic(camera_picture(2016, 1512), quality=80, exif=exif, xmp=xmp)


BUILDERS = {
    "camera-12mp.jpg": lambda: _camera_jpeg(4000, 3000),
    "camera-24mp.jpg": lambda: _camera_jpeg(6000, 4000),
    "portrait-6.jpg": lambda: _oriented(6),
    "portrait-8.jpg": lambda: _oriented(8),
    "panorama.jpg": lambda: _camera_jpeg(10000, 2000),
    "exactly-2560.jpg": lambda: _camera_jpeg(2560, 1707),
    "exactly-2561.jpg": lambda: _camera_jpeg(2561, 1708),
    "small-300.jpg": lambda: _camera_jpeg(300, 200),
    "cmyk.jpg": lambda: files.jpeg(camera_picture(3000, 2000, "CMYK"), quality=90),
    "sixteen-bit.png": _sixteen_bit_png,
    "alpha.png": _alpha_png,
    "photo.webp": lambda: files.webp(camera_picture(3000, 2000), quality=85),
    "animated.gif": lambda: _animated("GIF"),
    "animated.webp": lambda: _animated("WEBP"),
    "iphone.heic": _heic,
}
# Upright sizes of the public master, for the checks.
MASTER_SIZES = {
    "camera-12mp.jpg": (4000, 3000),
    "camera-24mp.jpg": (4096, 2731),
    "portrait-6.jpg": (2000, 3000),
    "portrait-8.jpg": (2000, 3000),
    "panorama.jpg": (4096, 819),
    "exactly-2560.jpg": (2560, 1707),
    "exactly-2561.jpg": (2561, 1708),
    "small-300.jpg": (300, 200),
    "cmyk.jpg": (3000, 2000),
    "sixteen-bit.png": (3000, 2000),
    "alpha.png": (2400, 1600),
    "photo.webp": (3000, 2000),
    "animated.gif": (1200, 800),
    "animated.webp": (1200, 800),
    "iphone.heic": (2016, 1512),
}


class Corpus:
    def __init__(self, folder):
        self.folder = folder

    def path(self, name):
        path = self.folder / name
        if not path.exists():
            partial = path.with_suffix(".part")
            partial.write_bytes(BUILDERS[name]())
            shutil.move(partial, path)
        return path

    def data(self, name):
        return self.path(name).read_bytes()
