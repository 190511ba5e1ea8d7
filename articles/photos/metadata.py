"""Captions, credits and the time a photo was taken, read from its IPTC, XMP and EXIF.

Pure functions over an open Pillow image; a damaged block is skipped, never fatal.
"""

import re
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from defusedxml import ElementTree
from PIL import IptcImagePlugin

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


def exif_of(im, *, header_only=False):
    """The image's EXIF, or None. With `header_only`, a PNG whose EXIF chunk comes after its
    pixels gives None rather than being decoded to find it (Pillow would load it)."""
    if header_only and im.format == "PNG" and "exif" not in im.info:
        return None
    try:
        return im.getexif()
    except METADATA_ERRORS:
        return None


def orientation_of(im, *, header_only=False):
    exif = exif_of(im, header_only=header_only)
    orientation = exif.get(EXIF_ORIENTATION, 1) if exif is not None else 1
    return orientation if orientation in range(1, 9) else 1


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


def _exif_metadata(im, header_only):
    exif = exif_of(im, header_only=header_only)
    if exif is None:
        return {}, None
    found = {}
    for tag, name in EXIF_FIELDS.items():
        if value := _clean(_exif_text(exif.get(tag))):
            found[name] = value
    return found, _taken_at(exif)


def read_metadata(im, *, header_only=False):
    """Caption, credit and the rest from an open Pillow image: IPTC, then XMP, then EXIF.

    With `header_only`, nothing is decoded to find them (see `exif_of`).
    """
    exif_fields, taken_at = _exif_metadata(im, header_only)
    fields = {**exif_fields, **_xmp_metadata(im), **_iptc_metadata(im)}
    return PhotoMetadata(**fields, taken_at=taken_at)
