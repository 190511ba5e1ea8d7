"""Real image files built in memory for tests: JPEG, PNG, WebP and GIF with EXIF, GPS, IPTC
and XMP blocks written the way cameras and photo desks write them."""

import io
import struct
import zlib

from PIL import Image, PngImagePlugin

ORIENTATION = 0x0112
IMAGE_DESCRIPTION = 0x010E
ARTIST = 0x013B
COPYRIGHT = 0x8298
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATE_TIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011

# IPTC IIM datasets, (record, dataset).
CODED_CHARACTER_SET = (1, 90)
OBJECT_NAME = (2, 5)
BY_LINE = (2, 80)
CREDIT = (2, 110)
SOURCE = (2, 115)
COPYRIGHT_NOTICE = (2, 116)
CAPTION_ABSTRACT = (2, 120)
UTF8_ESCAPE = b"\x1b%G"


def picture(width=64, height=48, mode="RGB"):
    """A picture with a gradient across it, so it has edges and colours to compress."""
    gradient = Image.linear_gradient("L").resize((width, height))
    if mode == "L":
        return gradient
    rgb = Image.merge(
        "RGB",
        (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), Image.new("L", (width, height), 96)),
    )
    return rgb.convert(mode)


def marked_picture(width=80, height=40, corner="top-left"):
    """A white picture with a solid red block in one corner, to see where pixels end up."""
    image = Image.new("RGB", (width, height), "white")
    block_w, block_h = width // 4, height // 4
    left = 0 if "left" in corner else width - block_w
    top = 0 if "top" in corner else height - block_h
    image.paste((255, 0, 0), (left, top, left + block_w, top + block_h))
    return image


def encode(image, format, **options):
    """Save a Pillow image to bytes."""
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def exif_block(
    *, orientation=None, description=None, artist=None, copyright=None, taken_at=None, offset=None, gps=None
):
    """An Image.Exif for save(exif=...). `taken_at` is "YYYY:MM:DD HH:MM:SS"; `gps` is a
    dict of GPS IFD tags, e.g. gps_position() below."""
    exif = Image.Exif()
    for tag, value in (
        (ORIENTATION, orientation),
        (IMAGE_DESCRIPTION, description),
        (ARTIST, artist),
        (COPYRIGHT, copyright),
    ):
        if value is not None:
            exif[tag] = value
    if taken_at is not None or offset is not None:
        details = exif.get_ifd(EXIF_IFD)
        if taken_at is not None:
            details[DATE_TIME_ORIGINAL] = taken_at
        if offset is not None:
            details[OFFSET_TIME_ORIGINAL] = offset
    if gps is not None:
        exif[GPS_IFD] = gps
    return exif


def gps_position():
    """GPS IFD tags for Amsterdam Centraal: latitude and longitude with their references."""
    return {1: "N", 2: (52.0, 22.0, 43.0), 3: "E", 4: (4.0, 54.0, 0.0)}


def xmp_packet(
    *, description=None, title=None, creators=(), credit=None, source=None, rights=None, as_attributes=False
):
    """An XMP packet as Lightroom and Photo Mechanic write it (rdf:Alt for language-tagged
    text, rdf:Seq for creators). With `as_attributes`, the simple photoshop: properties are
    written as attributes of rdf:Description, the short form some tools use."""

    def alt(name, value):
        if value is None:
            return ""
        return f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{value}</rdf:li></rdf:Alt></{name}>'

    attributes, elements = "", []
    for name, value in (("photoshop:Credit", credit), ("photoshop:Source", source)):
        if value is None:
            continue
        if as_attributes:
            attributes += f' {name}="{value}"'
        else:
            elements.append(f"<{name}>{value}</{name}>")
    if creators:
        items = "".join(f"<rdf:li>{name}</rdf:li>" for name in creators)
        elements.append(f"<dc:creator><rdf:Seq>{items}</rdf:Seq></dc:creator>")
    elements += [alt("dc:description", description), alt("dc:title", title), alt("dc:rights", rights)]
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"{attributes}>'
        f"{''.join(elements)}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def iptc_datasets(fields, *, encoding="utf-8", declare_utf8=None):
    """IPTC IIM bytes: one 0x1C-tagged dataset per (record, dataset) -> text or list of
    texts. `declare_utf8` writes record 1:90 (ESC % G); by default when encoding is UTF-8."""
    if declare_utf8 is None:
        declare_utf8 = encoding == "utf-8"
    datasets = [(CODED_CHARACTER_SET, UTF8_ESCAPE)] if declare_utf8 else []
    for key, value in fields.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            datasets.append((key, text.encode(encoding) if isinstance(text, str) else text))
    return b"".join(
        struct.pack(">BBBH", 0x1C, record, dataset, len(data)) + data for (record, dataset), data in datasets
    )


def photoshop_iptc_segment(iim):
    """A JPEG APP13 segment holding `iim` as Photoshop image resource 0x0404 (IPTC-NAA)."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"  # empty, padded name
    resource += struct.pack(">I", len(iim)) + iim + (b"\x00" if len(iim) % 2 else b"")
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def with_iptc(jpeg, iim):
    """Splice an IPTC block into a JPEG, right after the SOI marker, as Photoshop does."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + photoshop_iptc_segment(iim) + jpeg[2:]


def jpeg(image=None, *, iptc=None, iptc_encoding="utf-8", declare_utf8=None, **options):
    """JPEG bytes; `iptc` is a dict for iptc_datasets(), other options go to Image.save
    (exif=exif_block(...), xmp=xmp_packet(...), icc_profile=..., quality=...)."""
    data = encode(image or picture(), "JPEG", **options)
    if not iptc:
        return data
    return with_iptc(data, iptc_datasets(iptc, encoding=iptc_encoding, declare_utf8=declare_utf8))


def png(image=None, *, xmp=None, **options):
    """PNG bytes; Pillow's PNG writer takes no xmp=, so the packet goes in an iTXt chunk
    under the keyword Adobe uses."""
    if xmp is not None:
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
        options["pnginfo"] = info
    return encode(image or picture(), "PNG", **options)


def webp(image=None, **options):
    return encode(image or picture(), "WEBP", **options)


def heic(image=None, **options):
    """An HEIC file, as iPhones save them (pillow-heif, registered by the upload checks, writes it)."""
    import articles.photos.checks  # noqa: F401 - registers the HEIF plugin

    return encode(image or picture(), "HEIF", **options)


def gif(image=None, **options):
    return encode(image or picture().convert("P"), "GIF", **options)


def transparent_picture(width=40, height=30):
    """RGBA: the left half fully transparent, the right half opaque blue."""
    image = Image.new("RGBA", (width, height), (0, 0, 255, 255))
    image.paste((0, 0, 0, 0), (0, 0, width // 2, height))
    return image


def frames(colours, size=(32, 24)):
    """One flat frame per colour, for animations."""
    return [Image.new("RGB", size, colour) for colour in colours]


def animated(format, colours=("red", "blue", "green"), size=(32, 24)):
    """An animated GIF, WebP or PNG (APNG) with one flat frame per colour."""
    first, *rest = frames(colours, size)
    return encode(first, format, save_all=True, append_images=rest, duration=100, loop=0)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width, height, rows=None, *, bit_depth=8, colour_type=2):
    """A PNG written by hand, for what Pillow will not write (16-bit RGB), or, with rows
    omitted, a header that claims any size over a few bytes of pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + row for row in rows) if rows else b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def truncated(data, keep=0.6):
    """The first part of a file, as left by an upload cut off half-way."""
    return data[: int(len(data) * keep)]
