"""Regenerate the small JPEGs the wire samples refer to: `python tests/wire_samples/make_photos.py`.

The pictures are drawn from fixed numbers (no randomness, no metadata), so running this again
with the same Pillow gives the same files.
"""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = (96, 64)
# A yellow tram on a blue sky for the NITF story, the same tram at dusk for the NewsML package;
# the package delivery's pictures are the same shapes in a ballpark's colours.
PHOTOS = {
    "nitf/photo.jpg": {"sky": (110, 170, 225), "street": (150, 140, 130), "tram": (245, 200, 40)},
    "newsml/photo.jpg": {"sky": (60, 70, 120), "street": (90, 85, 80), "tram": (230, 170, 30)},
    # Three pictures for the package delivery: a ballpark by day, at dusk and at night.
    "package/ballpark-day.jpg": {"sky": (120, 180, 235), "street": (60, 140, 60), "tram": (200, 40, 40)},
    "package/ballpark-dusk.jpg": {"sky": (200, 120, 90), "street": (50, 110, 50), "tram": (180, 30, 30)},
    "package/ballpark-night.jpg": {"sky": (20, 20, 50), "street": (30, 80, 30), "tram": (150, 20, 20)},
}


def draw_tram(colours):
    picture = Image.new("RGB", SIZE, colours["sky"])
    draw = ImageDraw.Draw(picture)
    draw.polygon([(0, 64), (96, 40), (96, 64)], fill=colours["street"])
    draw.rectangle([28, 22, 68, 46], fill=colours["tram"], outline=(40, 40, 40))
    for left in (32, 44, 56):
        draw.rectangle([left, 26, left + 8, 34], fill=(200, 225, 240))
    draw.line([(48, 22), (48, 8), (96, 4)], fill=(40, 40, 40))
    return picture


def main():
    for name, colours in PHOTOS.items():
        target = HERE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        draw_tram(colours).save(target, "JPEG", quality=80, optimize=True)
        print(f"wrote {target.relative_to(HERE)} ({target.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
