"""Synthetic illustrative pictures for the demo newsroom.

Everything here is drawn with Pillow from a palette and a seed, so the demo
ships no third-party photography. The results are deliberately stylised:
nobody should mistake them for real news photographs.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

SCENES = ("skyline", "field", "water", "crowd", "mountains", "abstract")

RGB = tuple[int, int, int]


def _rgb(value: str) -> RGB:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _lighten(c: RGB, t: float) -> RGB:
    return _mix(c, (255, 255, 255), t)


def _darken(c: RGB, t: float) -> RGB:
    return _mix(c, (12, 14, 20), t)


def _palette(palette: list[str]) -> list[RGB]:
    colours = [_rgb(p) for p in palette if p] or [_rgb("#1d3557"), _rgb("#e9c46a")]
    if len(colours) == 1:
        colours.append(_lighten(colours[0], 0.6))
    return colours


def _vertical_gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    """A top-to-bottom gradient without per-pixel Python loops."""
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return ImageOps.colorize(mask, black=top, white=bottom).convert("RGB")


def _radial_glow(size: tuple[int, int], centre: tuple[float, float], radius: float,
                 colour: RGB, strength: float = 0.55) -> Image.Image:
    """An RGBA layer holding a soft circular glow."""
    # radial_gradient is 256x256 with 0 at the centre and ~181 at the mid-edge;
    # rescale so the glow fades smoothly to nothing before the box edge.
    glow = Image.radial_gradient("L").point(
        lambda v: int(255 * strength * max(0.0, 1 - v / 181) ** 2)
    )
    diameter = max(2, int(radius * 2))
    glow = glow.resize((diameter, diameter), Image.Resampling.BILINEAR)
    layer = Image.new("RGBA", size, colour + (0,))
    alpha = Image.new("L", size, 0)
    alpha.paste(glow, (int(centre[0] - radius), int(centre[1] - radius)))
    layer.putalpha(alpha)
    return layer


def _wave_polygon(width: int, height: int, base: float, amplitude: float,
                  rng: random.Random, step: int = 16) -> list[tuple[float, float]]:
    """Closed polygon whose upper edge is a sum of a few sine waves."""
    waves = [
        (rng.uniform(0.6, 2.2), rng.uniform(0, math.tau), rng.uniform(0.4, 1.0))
        for _ in range(3)
    ]
    total = sum(w[2] for w in waves)
    points = []
    for x in range(0, width + step, step):
        u = x / width
        y = sum(a * math.sin(u * math.tau * f + p) for f, p, a in waves) / total
        points.append((x, base + y * amplitude))
    return points + [(width, height), (0, height)]


def _ridge(width: int, height: int, base: float, roughness: float,
           rng: random.Random) -> list[tuple[float, float]]:
    """Mountain ridge by midpoint displacement."""
    n = 128
    ys = [0.0] * (n + 1)
    ys[0] = rng.uniform(-1, 1) * roughness
    ys[n] = rng.uniform(-1, 1) * roughness
    step, scale = n, roughness
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            ys[i] = (ys[i - half] + ys[i + half]) / 2 + rng.uniform(-1, 1) * scale
        step, scale = half, scale * 0.55
    points = [(i * width / n, base + ys[i]) for i in range(n + 1)]
    return points + [(width, height), (0, height)]


def _draw_skyline(img: Image.Image, cols: list[RGB], rng: random.Random) -> None:
    w, h = img.size
    deep, accent = cols[0], cols[1]
    sun_x, sun_y = rng.uniform(0.2, 0.8) * w, rng.uniform(0.22, 0.38) * h
    img.alpha_composite(_radial_glow(img.size, (sun_x, sun_y), h * 0.45, _lighten(accent, 0.3)))
    draw = ImageDraw.Draw(img)
    r = h * 0.07
    draw.ellipse((sun_x - r, sun_y - r, sun_x + r, sun_y + r), fill=_lighten(accent, 0.35))
    layers = 3
    for layer in range(layers):
        depth = layer / (layers - 1)
        colour = _mix(_lighten(deep, 0.45), _darken(deep, 0.55), depth)
        ground = h * (0.78 + 0.08 * depth)
        x = -rng.uniform(0, 60)
        while x < w:
            bw = rng.uniform(0.035, 0.09) * w * (1 + 0.4 * depth)
            bh = rng.uniform(0.12, 0.42) * h * (0.7 + 0.5 * depth)
            top = ground - bh
            draw.rectangle((x, top, x + bw, h), fill=colour)
            if rng.random() < 0.25:  # stepped roof or spire
                inset = bw * rng.uniform(0.2, 0.35)
                draw.rectangle((x + inset, top - bh * 0.12, x + bw - inset, top), fill=colour)
                if rng.random() < 0.5:
                    mid = x + bw / 2
                    draw.line((mid, top - bh * 0.12, mid, top - bh * 0.25), fill=colour, width=4)
            if layer == layers - 1:
                lit = _lighten(accent, 0.15)
                win = max(6, int(bw / 9))
                for wy in range(int(top + win * 1.5), int(ground), win * 2):
                    for wx in range(int(x + win), int(x + bw - win), win * 2):
                        if rng.random() < 0.28:
                            draw.rectangle((wx, wy, wx + win - 2, wy + win - 2), fill=lit)
            x += bw + rng.uniform(2, 14)
    draw.rectangle((0, h * 0.9, w, h), fill=_darken(deep, 0.7))


def _draw_field(img: Image.Image, cols: list[RGB], rng: random.Random) -> None:
    w, h = img.size
    base, accent = cols[0], cols[1]
    sun_x = rng.uniform(0.15, 0.85) * w
    img.alpha_composite(_radial_glow(img.size, (sun_x, h * 0.3), h * 0.5, _lighten(accent, 0.4)))
    draw = ImageDraw.Draw(img)
    bands = 5
    for i in range(bands):
        t = i / (bands - 1)
        colour = _mix(_lighten(base, 0.5), _darken(base, 0.35), t)
        if i % 2 == 1:
            colour = _mix(colour, accent, 0.25)
        y = h * (0.45 + 0.12 * i)
        draw.polygon(_wave_polygon(w, h, y, h * (0.05 + 0.02 * i), rng), fill=colour)
    # furrows in the nearest field
    furrow = _darken(base, 0.5)
    vanish_x = rng.uniform(0.3, 0.7) * w
    for k in range(-12, 13):
        draw.line((vanish_x + k * 8, h * 0.8, vanish_x + k * w * 0.12, h), fill=furrow, width=3)
    # a few trees
    for _ in range(rng.randint(3, 7)):
        tx, ty = rng.uniform(0, w), h * rng.uniform(0.48, 0.62)
        tr = h * rng.uniform(0.02, 0.04)
        draw.line((tx, ty, tx, ty + tr * 2), fill=_darken(base, 0.7), width=max(3, int(tr / 4)))
        draw.ellipse((tx - tr, ty - tr, tx + tr, ty + tr), fill=_darken(base, 0.55))


def _draw_water(img: Image.Image, cols: list[RGB], rng: random.Random) -> None:
    w, h = img.size
    deep, accent = cols[0], cols[1]
    horizon = h * rng.uniform(0.42, 0.52)
    sun_x = rng.uniform(0.25, 0.75) * w
    img.alpha_composite(_radial_glow(img.size, (sun_x, horizon), h * 0.5, _lighten(accent, 0.3)))
    draw = ImageDraw.Draw(img)
    r = h * 0.06
    draw.ellipse((sun_x - r, horizon - r * 1.6, sun_x + r, horizon + r * 0.4),
                 fill=_lighten(accent, 0.4))
    sea = Image.new("RGBA", img.size, (0, 0, 0, 0))
    sea.paste(_vertical_gradient((w, h - int(horizon)), _lighten(deep, 0.25), _darken(deep, 0.5)),
              (0, int(horizon)))
    img.alpha_composite(sea)
    draw = ImageDraw.Draw(img)
    # reflection column
    for i in range(28):
        y = horizon + i * (h - horizon) / 28
        half = r * (0.4 + i * 0.12) * rng.uniform(0.5, 1.2)
        draw.line((sun_x - half, y, sun_x + half, y), fill=_lighten(accent, 0.2), width=3)
    # wave crests
    rows = 22
    for i in range(rows):
        t = i / rows
        y = horizon + (h - horizon) * (t**1.6) + 6
        amp = 2 + 14 * t
        period = 40 + 260 * t
        phase = rng.uniform(0, math.tau)
        colour = _mix(_lighten(deep, 0.55), _darken(deep, 0.3), t)
        pts = [(x, y + amp * math.sin(x / period * math.tau + phase)) for x in range(0, w + 20, 20)]
        draw.line(pts, fill=colour, width=max(2, int(1 + 4 * t)))
    # distant headland, tapering into the sea
    start, end = rng.uniform(-0.1, 0.1) * w, rng.uniform(0.3, 0.5) * w
    lift = h * rng.uniform(0.03, 0.06)
    ridge = _ridge(int(end - start), h, 0, lift * 0.25, rng)[:-2]
    points = []
    for x, y in ridge:
        u = x / (end - start)
        envelope = math.sin(math.pi * min(1.0, u * 1.3)) if u < 0.77 else math.sin(math.pi * u)
        points.append((start + x, horizon - max(0.0, envelope * lift + y * envelope)))
    draw.polygon(points + [(end, horizon + 1), (start, horizon + 1)], fill=_darken(deep, 0.3))


def _draw_crowd(img: Image.Image, cols: list[RGB], rng: random.Random) -> None:
    w, h = img.size
    deep, accent = cols[0], cols[1]
    extra = cols[2] if len(cols) > 2 else _mix(deep, accent, 0.5)
    img.alpha_composite(_radial_glow(img.size, (w * 0.5, h * 0.15), h * 0.7, _lighten(accent, 0.3)))
    draw = ImageDraw.Draw(img)
    # banners behind the crowd
    for _ in range(rng.randint(2, 4)):
        bx = rng.uniform(0.05, 0.8) * w
        by = rng.uniform(0.2, 0.35) * h
        draw.rectangle((bx, by, bx + w * rng.uniform(0.1, 0.2), by + h * 0.06),
                       fill=_mix(accent, extra, rng.random()))
        draw.line((bx, by, bx, h * 0.6), fill=_darken(deep, 0.5), width=4)
    rows = 9
    for row in range(rows):
        t = row / (rows - 1)
        size = h * (0.03 + 0.07 * t)
        y = h * (0.45 + 0.5 * t)
        shade = _mix(_lighten(deep, 0.35), _darken(deep, 0.6), t)
        x = -rng.uniform(0, size)
        while x < w + size:
            tone = _mix(shade, _mix(accent, extra, rng.random()), rng.uniform(0.0, 0.35))
            sw = size * rng.uniform(1.6, 2.1)
            draw.rounded_rectangle((x - sw / 2, y + size * 0.8, x + sw / 2, y + size * 4),
                                   radius=int(size * 0.6), fill=tone)
            draw.ellipse((x - size * 0.55, y - size * 0.2, x + size * 0.55, y + size * 0.95),
                         fill=_darken(tone, 0.25))
            x += sw * rng.uniform(0.7, 1.0)


def _draw_mountains(img: Image.Image, cols: list[RGB], rng: random.Random) -> None:
    w, h = img.size
    deep, accent = cols[0], cols[1]
    sun_x = rng.uniform(0.2, 0.8) * w
    img.alpha_composite(_radial_glow(img.size, (sun_x, h * 0.25), h * 0.4, _lighten(accent, 0.4)))
    draw = ImageDraw.Draw(img)
    r = h * 0.05
    draw.ellipse((sun_x - r, h * 0.25 - r, sun_x + r, h * 0.25 + r), fill=_lighten(accent, 0.5))
    layers = 5
    for i in range(layers):
        t = i / (layers - 1)
        colour = _mix(_lighten(_mix(deep, accent, 0.3), 0.3), _darken(deep, 0.6), t)
        base = h * (0.42 + 0.12 * i)
        draw.polygon(_ridge(w, h, base, h * (0.16 - 0.02 * i), rng), fill=colour)


def _draw_abstract(img: Image.Image, cols: list[RGB], rng: random.Random) -> None:
    w, h = img.size
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    grid = rng.choice([6, 8, 10])
    cell = w / grid
    for _ in range(rng.randint(14, 22)):
        colour = rng.choice(cols + [_lighten(c, 0.5) for c in cols] + [_darken(c, 0.4) for c in cols])
        gx, gy = rng.randrange(grid), rng.randrange(int(h / cell) + 1)
        gw, gh = rng.randint(1, 3), rng.randint(1, 3)
        box = (gx * cell, gy * cell, (gx + gw) * cell, (gy + gh) * cell)
        alpha = rng.randint(110, 220)
        if rng.random() < 0.3:
            draw.ellipse(box, fill=colour + (alpha,))
        else:
            draw.rectangle(box, fill=colour + (alpha,))
    for _ in range(rng.randint(2, 4)):
        y = rng.uniform(0, h)
        draw.line((0, y, w, y + rng.uniform(-h / 3, h / 3)), fill=_lighten(cols[-1], 0.6) + (160,),
                  width=rng.randint(4, 14))
    img.alpha_composite(layer)


_SCENE_DRAWERS = {
    "skyline": _draw_skyline,
    "field": _draw_field,
    "water": _draw_water,
    "crowd": _draw_crowd,
    "mountains": _draw_mountains,
    "abstract": _draw_abstract,
}


def make_demo_photo(*, palette: list[str], scene: str, seed: int,
                    size: tuple[int, int] = (1600, 1067)) -> bytes:
    """Return JPEG bytes of a deterministic, clearly synthetic illustration."""
    rng = random.Random(f"{scene}:{seed}")
    cols = _palette(palette)
    w, h = size
    deep, accent = cols[0], cols[1]
    sky_top = _darken(deep, 0.25)
    sky_bottom = _mix(_lighten(deep, 0.35), accent, 0.45)
    img = _vertical_gradient(size, sky_top, sky_bottom).convert("RGBA")
    _SCENE_DRAWERS.get(scene, _draw_abstract)(img, cols, rng)
    out = img.convert("RGB")
    # slight softening hides aliasing on the polygons
    out = out.filter(ImageFilter.GaussianBlur(radius=max(0.6, w / 1600)))
    # a gentle vignette
    vignette = Image.radial_gradient("L").resize(size, Image.Resampling.BILINEAR)
    vignette = vignette.point(lambda v: max(0, v - 110) * 0.55)
    out = Image.composite(Image.new("RGB", size, (8, 10, 16)), out, vignette)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=85, optimize=True, progressive=True)
    return buf.getvalue()


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


_HEADSHOT_PALETTES = [
    ("#1d3557", "#e9c46a"),
    ("#264653", "#2a9d8f"),
    ("#6d2e46", "#d5b9b2"),
    ("#3d405b", "#f2cc8f"),
    ("#283618", "#dda15e"),
    ("#22223b", "#9a8c98"),
    ("#003049", "#f77f00"),
    ("#4a4e69", "#c9ada7"),
]


def make_headshot(*, name: str, seed: int, size: tuple[int, int] = (600, 600)) -> bytes:
    """Return JPEG bytes of an abstract avatar showing the contributor's initials."""
    rng = random.Random(f"headshot:{name}:{seed}")
    deep_hex, accent_hex = _HEADSHOT_PALETTES[rng.randrange(len(_HEADSHOT_PALETTES))]
    deep, accent = _rgb(deep_hex), _rgb(accent_hex)
    w, h = size
    img = _vertical_gradient(size, _lighten(deep, 0.15), _darken(deep, 0.35)).convert("RGBA")
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(3, 5)):
        r = rng.uniform(0.15, 0.45) * w
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent + (rng.randint(40, 90),))
    img.alpha_composite(layer)
    draw = ImageDraw.Draw(img)
    # ring
    pad = w * 0.16
    draw.ellipse((pad, pad, w - pad, h - pad), outline=_lighten(accent, 0.3) + (255,),
                 width=max(3, w // 90))
    text = _initials(name)
    font = ImageFont.load_default(size=int(h * 0.26))
    draw.text((w / 2, h / 2), text, font=font, fill=(255, 255, 255, 255), anchor="mm")
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=85, optimize=True)
    return buf.getvalue()
