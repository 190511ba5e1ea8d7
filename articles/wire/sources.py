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

import functools
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
    file_in_folder,
    local_name,
    quoted,
)
from .newsml import kind_of_item, story_from_news_item
from .nitf import read_nitf
from .packages import package_refs_in, stories_from_message, stories_from_package

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


class Delivery:
    """The XML files delivered together (a folder, or an unpacked zip): which file holds each
    NewsML-G2 item, by guid, and which files a package takes into its story, so that they are
    not imported again on their own."""

    def __init__(self, folder, files):
        self.folder = Path(folder)
        self.files = list(files)

    @classmethod
    def around(cls, path):
        folder = Path(path).parent
        return cls(folder, sorted(p for p in folder.iterdir() if p.is_file() and _is_xml_name(p.name)))

    @functools.cached_property
    def _index(self):
        items, refs = {}, []
        for file in self.files:
            kind, guid = _peek_root(file)
            if kind == "newsItem" and guid:
                items.setdefault(guid, file)
            elif kind in ("packageItem", "newsMessage"):
                try:
                    refs += package_refs_in(_read_xml(file))
                except WireError:
                    continue  # reported when the file itself is loaded
        packaged = {items[residref] for residref, _href in refs if residref in items}
        packaged |= {file_in_folder(self.folder, href) for _residref, href in refs if href} - {None}
        return items, packaged

    @property
    def packaged_files(self):
        return self._index[1]

    def find_item(self, residref, href):
        """(newsItem element, its file) for an itemRef, or None when the delivery lacks it."""
        file = file_in_folder(self.folder, href) if href else None
        file = file or (self._index[0].get(residref) if residref else None)
        if file is None:
            return None
        root = _read_xml(file)
        return (root, file) if local_name(root.tag) == "newsItem" else None


def _peek_root(path):
    """The root element's name and guid, read from the start of the file only."""
    try:
        with path.open("rb") as handle:
            for _event, element in ElementTree.iterparse(
                handle, events=("start",), forbid_dtd=False, forbid_entities=True, forbid_external=True
            ):
                return local_name(element.tag), (element.get("guid") or "").strip()
    except (ParseError, DefusedXmlException, OSError):
        pass
    return "", ""


def parse_wire_file(path: Path, delivery: Delivery | None = None) -> list[WireStory]:
    """Read one NITF file, or NewsML-G2 newsItem, packageItem or newsMessage, into stories.

    A package gives its text item as a story with the package's pictures, in order; the items
    may be in the same file or in other files of the `delivery` (by default, the file's
    folder). Raises WireError, naming the file, for anything an editor must fix or ask the
    agency about; the first bad story in a message fails the whole file.
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
    delivery = delivery or Delivery.around(path)
    if kind == "packageItem":
        return stories_from_package(root, path, delivery.find_item)
    if kind == "newsMessage":
        return stories_from_message(root, path, delivery.find_item)
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
        yield from _delivery_sources(folder, [folder / name for name in names], prefix=f"{path.name}/")


def _delivery_sources(folder, files, *, prefix=""):
    delivery = Delivery(folder, files)
    for file in files:
        if file not in delivery.packaged_files:
            label = prefix + file.relative_to(folder).as_posix()
            yield label, partial(parse_wire_file, file, delivery)


def iter_wire_sources(path: Path) -> Iterator[tuple[str, Callable[[], list[WireStory]]]]:
    """Yield (label, loader) for every wire file at `path`: an .xml file, a folder (its *.xml
    files, sorted, not descending into subfolders) or a .zip (every .xml inside, sorted).

    Each loader returns that file's stories or raises WireError, so one bad file does not stop
    a batch. Item files a package in the same delivery names are read with that package, not
    on their own. Problems with `path` itself (missing, not XML or zip, an unsafe or broken archive)
    raise WireError before anything is yielded. A zip is unpacked into a temporary folder that
    is deleted when the iteration ends: load each file, and read its photos, inside the loop.
    """
    path = Path(path)
    if path.is_dir():
        yield from _delivery_sources(path, Delivery.around(path / "-").files)
    elif path.is_file() and path.suffix.lower() == ".zip":
        yield from _zip_sources(path)
    elif path.is_file() and path.suffix.lower() == ".xml":
        yield path.name, partial(parse_wire_file, path)
    elif not path.exists():
        raise WireError(f"{quoted(path.name)} does not exist.")
    else:
        raise WireError(f"{quoted(path.name)} is not an .xml file, a folder or a .zip archive.")
