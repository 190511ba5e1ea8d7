"""Reading agency copy: IPTC NITF 3.x and NewsML-G2 2.x files into plain `WireStory` objects.

Pure functions from files to dataclasses; no models, no database. This module reads files,
folders and zips and hands each XML document to the NITF or NewsML-G2 reader. The importer turns the
stories into articles (and sanitises `body_html` on save, like every article body).

Safety rules for files that come from outside:

- XML is parsed with defusedxml. Entity declarations (the "billion laughs" expansion bomb,
  external entities that read local files or URLs) are refused with a `WireError`. A plain
  `<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">` line, which most NITF files carry, is allowed: the
  DTD it names is never fetched.
- Nothing outside the XML file is read, except that photo references are looked up next to it.
  A reference that is absolute, a URL, or climbs out of the folder ("../x.jpg", or a symlink
  pointing elsewhere) is treated as missing and never resolved.
- Zip deliveries are unpacked into a temporary folder only after every member has been
  checked: no absolute or ".." names, no member over `MAX_ZIP_MEMBER_BYTES`, and no more than
  `MAX_ZIP_TOTAL_BYTES` in all. zipfile reads no more than a member's listed size and checks
  its CRC, so a zip that lies about its sizes is refused as unreadable.
"""

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException, ElementTree, EntitiesForbidden, ExternalReferenceForbidden

from .common import (
    WireError,
    WireStory,
    check_story,
    local_name,
    quoted,
)
from .newsml import kind_of_item, stories_from_message, story_from_news_item
from .nitf import read_nitf

MAX_XML_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 100 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000

# ---------------------------------------------------------------------------------------------
# Reading the XML safely.


def _read_xml(path):
    name = quoted(path.name)
    try:
        size = path.stat().st_size
        if size > MAX_XML_BYTES:
            raise WireError(
                f"{name} is {size / 1024 / 1024:.1f} MB; wire files are at most "
                f"{MAX_XML_BYTES // 1024 // 1024} MB."
            )
        data = path.read_bytes()
    except OSError as error:
        raise WireError(f"{name} could not be read ({error.strerror or error}).") from error
    try:
        return ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as error:
        if error.sysid or error.pubid:
            raise WireError(
                f"{name} declares an entity that points at another file or address "
                f"({error.sysid or error.pubid}); such files are refused for safety. "
                "Ask the agency to resend it without entity declarations."
            ) from error
        raise WireError(
            f"{name} declares XML entities, which can expand without limit; such files are "
            "refused for safety. Ask the agency to resend it without entity declarations."
        ) from error
    except ExternalReferenceForbidden as error:
        raise WireError(
            f"{name} refers to an external file or address ({error.sysid}); such files are "
            "refused for safety."
        ) from error
    except DefusedXmlException as error:
        raise WireError(f"{name} uses XML features that are refused for safety ({error}).") from error
    except ParseError as error:
        line, column = error.position
        raise WireError(
            f"{name} is not well-formed XML (line {line}, column {column + 1}): {ErrorString(error.code)}."
        ) from error


# ---------------------------------------------------------------------------------------------
# Public API


def parse_wire_file(path: Path) -> list[WireStory]:
    """Read one NITF file, NewsML-G2 newsItem or NewsML-G2 newsMessage into stories.

    A newsMessage gives one story per text item; its picture items become the photos of the
    text items in the same package. Raises WireError, naming the file, for anything an editor
    must fix or ask the agency about; the first bad story in a message fails the whole file.
    """
    path = Path(path)
    root = _read_xml(path)
    kind = local_name(root.tag)
    if kind == "nitf":
        return [check_story(*read_nitf(root, path), subject=quoted(path.name))]
    if kind == "newsItem":
        if (item_kind := kind_of_item(root)) in ("picture", "graphic"):
            raise WireError(
                f"{quoted(path.name)} is a NewsML-G2 {item_kind} item, not a story; pictures are "
                "imported with the story whose package names them."
            )
        if item_kind != "text":
            what = f"a NewsML-G2 {item_kind} item" if item_kind else "a NewsML-G2 item of no known kind"
            raise WireError(f"{quoted(path.name)} is {what}, with no story text.")
        return [story_from_news_item(root, path, quoted(path.name), [])]
    if kind == "newsMessage":
        return stories_from_message(root, path)
    raise WireError(f"{quoted(path.name)} is not NITF or NewsML-G2 (its root element is <{kind}>).")


def _is_xml_name(name):
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(".xml") and not base.startswith(".")


def _safe_member_parts(name):
    """The member's path parts, or None for a name that would land outside the folder."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return parts


def _checked_members(archive, label):
    members, total = [], 0
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise WireError(f"{label} holds {len(infos)} files; the limit is {MAX_ZIP_MEMBERS}.")
    for info in infos:
        parts = _safe_member_parts(info.filename)
        if parts is None:
            raise WireError(
                f"{label} contains “{info.filename}”, a path outside the archive's folder; "
                "the archive was refused."
            )
        if info.is_dir() or parts[0] == "__MACOSX":
            continue
        if info.file_size > MAX_ZIP_MEMBER_BYTES:
            raise WireError(
                f"{label} contains “{info.filename}” of {info.file_size / 1024 / 1024:.1f} MB; "
                f"files in a delivery can be at most {MAX_ZIP_MEMBER_BYTES // 1024 // 1024} MB."
            )
        total += info.file_size
        if total > MAX_ZIP_TOTAL_BYTES:
            raise WireError(
                f"{label} unpacks to more than {MAX_ZIP_TOTAL_BYTES // 1024 // 1024} MB; the "
                "archive was refused."
            )
        members.append((info, parts))
    return members


def _extract(archive, members, folder):
    # zipfile never yields more than a member's listed size, and checks its CRC when done, so
    # the limits checked against the listed sizes also bound what is written here.
    for info, parts in members:
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)


def _zip_sources(path):
    label = quoted(path.name)
    with tempfile.TemporaryDirectory(prefix="wire-") as temp:
        folder = Path(temp)
        try:
            with zipfile.ZipFile(path) as archive:
                members = _checked_members(archive, label)
                _extract(archive, members, folder)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
            raise WireError(f"{label} is not a readable zip archive ({error}).") from error
        except (OSError, RuntimeError) as error:
            raise WireError(f"{label} could not be unpacked ({error}).") from error
        names = sorted("/".join(parts) for _, parts in members if _is_xml_name(parts[-1]))
        for name in names:
            yield f"{path.name}/{name}", partial(parse_wire_file, folder / name)


def iter_wire_sources(path: Path) -> Iterator[tuple[str, Callable[[], list[WireStory]]]]:
    """Yield (label, loader) for every wire file at `path`: an .xml file, a folder (its *.xml
    files, sorted, not descending into subfolders) or a .zip (every .xml inside, sorted).

    Each loader returns that file's stories or raises WireError, so one bad file does not stop
    a batch. Problems with `path` itself (missing, not XML or zip, an unsafe or broken archive)
    raise WireError before anything is yielded. A zip is unpacked into a temporary folder that
    is deleted when the iteration ends: load each file, and read its photos, inside the loop.
    """
    path = Path(path)
    if path.is_dir():
        for file in sorted(p for p in path.iterdir() if p.is_file() and _is_xml_name(p.name)):
            yield file.name, partial(parse_wire_file, file)
    elif path.is_file() and path.suffix.lower() == ".zip":
        yield from _zip_sources(path)
    elif path.is_file() and path.suffix.lower() == ".xml":
        yield path.name, partial(parse_wire_file, path)
    elif not path.exists():
        raise WireError(f"{quoted(path.name)} does not exist.")
    else:
        raise WireError(f"{quoted(path.name)} is not an .xml file, a folder or a .zip archive.")
