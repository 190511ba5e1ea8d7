"""Draw the wordmark files in articles/static/articles/img/ (run once; the outputs are committed).

logo.svg and favicon.svg hold outlines, not text, so they look the same on every machine;
logo.png is the 600x60 publisher logo that JSON-LD asks for. Needs Pillow and fontTools
(`pip install fonttools`) and the Caladea font (Debian: fonts-crosextra-caladea).

    python design/make_logo.py
"""

from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/crosextra/Caladea-Bold.ttf"
OUT = Path(__file__).resolve().parent.parent / "articles" / "static" / "articles" / "img"
NAME = "The Newsroom"
INK = "#121212"
ACCENT = "#b0171f"


def outline(text, font):
    """SVG path data for `text` set on one line, y pointing down, and its bounds."""
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    pen = SVGPathPen(glyphs)
    bounds = BoundsPen(glyphs)
    x = 0
    for char in text:
        name = cmap[ord(char)]
        for target in (pen, bounds):
            glyphs[name].draw(TransformPen(target, (1, 0, 0, -1, x, 0)))
        x += glyphs[name].width
    return pen.getCommands(), bounds.bounds


def write_logo_svg(font):
    path, (x0, y0, x1, y1) = outline(NAME, font)
    pad = 20
    width, height = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0 - pad:.0f} {y0 - pad:.0f} '
        f'{width:.0f} {height:.0f}" role="img" aria-label="{NAME}">'
        f'<title>{NAME}</title><path fill="{INK}" d="{path}"/></svg>\n'
    )
    (OUT / "logo.svg").write_text(svg)


def write_favicon(font):
    path, (x0, y0, x1, y1) = outline("N", font)
    size = 1000
    scale = size * 0.62 / (y1 - y0)
    tx = (size - (x1 - x0) * scale) / 2 - x0 * scale
    ty = (size - (y1 - y0) * scale) / 2 - y0 * scale
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}">'
        f'<rect width="{size}" height="{size}" rx="180" fill="{ACCENT}"/>'
        f'<path fill="#fff" transform="translate({tx:.1f} {ty:.1f}) scale({scale:.4f})" d="{path}"/>'
        "</svg>\n"
    )
    (OUT / "favicon.svg").write_text(svg)


def write_logo_png():
    # Publisher logos are 600x60 at most, with the wordmark no taller than 48 px.
    image = Image.new("RGB", (600, 60), "white")
    draw = ImageDraw.Draw(image)
    size = 60
    while True:
        type_ = ImageFont.truetype(FONT, size)
        left, top, right, bottom = draw.textbbox((0, 0), NAME, font=type_)
        if right - left <= 592 and bottom - top <= 44:
            break
        size -= 1
    x = (600 - (right - left)) / 2 - left
    y = (60 - (bottom - top)) / 2 - top
    draw.text((x, y), NAME, font=type_, fill=INK)
    image.save(OUT / "logo.png", optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    caladea = TTFont(FONT)
    write_logo_svg(caladea)
    write_favicon(caladea)
    write_logo_png()
    print("wrote", *(p.name for p in sorted(OUT.iterdir())))
