"""Reading agency copy: IPTC NITF 3.x and NewsML-G2 2.x files into plain `WireStory` objects.

Pure functions from files to dataclasses; no models, no database. The importer turns the
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
  `MAX_ZIP_TOTAL_BYTES` in all, counted again while unpacking in case the sizes lie.
"""

import html
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException, ElementTree, EntitiesForbidden, ExternalReferenceForbidden

from .images import split_credit

__all__ = [
    "WireError",
    "WirePhoto",
    "WireStory",
    "iter_wire_sources",
    "parse_wire_file",
    "split_credit",
]

# Article.headline's max_length (articles.models.article.HEADLINE_MAX_LENGTH); not imported
# so that this module runs without Django.
HEADLINE_MAX_LENGTH = 160
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 100 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000

# XML whitespace only: a no-break space in the copy ("10 km") is content, not layout.
XML_SPACE = re.compile(r"[ \t\r\n]+")
BYLINE_PREFIX = re.compile(r"^by[ \t\r\n:]+", re.IGNORECASE)
NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
# "LISBON, Nov. 24 (Continental Press) —": the place ends at the first comma, bracket or dash.
DATELINE_END = re.compile(r",|\(|\s[-–—]|[–—]")

HEADINGS = {"hl2": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
EMPHASIS = {"em": "em", "i": "em", "strong": "strong", "b": "strong"}
BLOCKQUOTES = {"bq", "blockquote"}
LISTS = {"ul", "ol"}
CONTAINERS = {"block", "body.content", "body", "div", "section", "article", "main", "html"}
BLOCK_NAMES = {"p", *HEADINGS, *BLOCKQUOTES, *LISTS, *CONTAINERS}
# Not story text: pictures, tables, editors' notes, footnotes, XHTML's document head and its
# h1, which repeats the headline.
SKIPPED = {
    "media", "table", "nitf-table", "note", "fn", "hr", "img", "figure", "object", "head",
    "title", "h1", "script", "style", "tagline", "dl",
}  # fmt: skip


class WireError(ValueError):
    """A wire file that cannot be imported; str() is a sentence for the editor, e.g.
    “story.xml” is not well-formed XML (line 3, column 7): mismatched tag."""


@dataclass
class WirePhoto:
    href: str
    caption: str = ""
    credit: str = ""
    alt_text: str = ""
    photographer: str = ""
    source: str = ""
    is_file_photo: bool = False
    # The picture next to the XML file, or None when it is missing or refers outside the folder.
    path: Path | None = None


@dataclass
class WireStory:
    external_id: str = ""
    version: str = ""
    headline: str = ""
    dek: str = ""
    bylines: list[str] = field(default_factory=list)
    dateline: str = ""
    body_html: str = ""
    keywords: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    embargoed_until: datetime | None = None  # not to be made public before this
    expires_at: datetime | None = None  # the licence to use it runs out
    photos: list[WirePhoto] = field(default_factory=list)
    source_name: str = ""


# ---------------------------------------------------------------------------------------------
# Element helpers. Every lookup goes by local name, so NITF with or without its namespace,
# NITF inside NewsML-G2, and XHTML all read the same way.


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name] if element is not None else []


def _child(element, name):
    return next(iter(_children(element, name)), None)


def _descendants(element, name):
    if element is None:
        return []
    return [node for node in element.iter() if _local(node.tag) == name]


def _descendant(element, name):
    return next(iter(_descendants(element, name)), None)


def _squash(text):
    return XML_SPACE.sub(" ", text or "").strip(" ")


def _text(element):
    return _squash("".join(element.itertext())) if element is not None else ""


def _unique(values):
    seen, kept = set(), []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


def _quoted(name):
    return f"“{name}”"


# ---------------------------------------------------------------------------------------------
# Reading the XML safely.


def _read_xml(path):
    name = _quoted(path.name)
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
# Shared pieces: dates, names, datelines, body HTML, photo files.


def _meta_datetime(item_meta, content_meta, name):
    """A NewsML-G2 date from itemMeta, where the specification puts `embargoed` and `expires`;
    contentMeta too, where some agencies send them. An empty element (a time yet to be
    announced) reads as None."""
    found = _parse_datetime(_text(_child(item_meta, name)))
    return found or _parse_datetime(_text(_child(content_meta, name)))


def _parse_datetime(value):
    """ISO 8601 in basic or extended form ("20261124T083000+0100", "2026-11-24T08:30:00Z", or a
    bare date); None when absent or unreadable. Times without an offset are taken as UTC."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _split_names(text):
    text = BYLINE_PREFIX.sub("", _squash(text))
    return [name for name in NAME_SEPARATORS.split(text) if name]


def _place_from_dateline(text):
    return DATELINE_END.split(_squash(text), maxsplit=1)[0].strip(" .:")


def _escape(text):
    return html.escape(XML_SPACE.sub(" ", text or ""), quote=False)


def _inline_html(element):
    """The element's text with emphasis, links and line breaks kept, everything else unwrapped."""
    parts = [_escape(element.text)]
    for child in element:
        name = _local(child.tag)
        if name == "br":
            parts.append("<br>")
        elif name in EMPHASIS:
            tag = EMPHASIS[name]
            parts.append(f"<{tag}>{_inline_html(child)}</{tag}>")
        elif name == "a" and child.get("href"):
            parts.append(f'<a href="{html.escape(child.get("href").strip())}">{_inline_html(child)}</a>')
        elif name:
            parts.append(_inline_html(child))
        parts.append(_escape(child.tail))
    return "".join(parts).strip(" ")


def _holds_blocks(element):
    return any(_local(child.tag) in BLOCK_NAMES for child in element)


class _BodyWriter:
    """Turns NITF body.content or an XHTML body into the paragraphs the article body takes."""

    def __init__(self):
        self.parts = []
        self.paragraphs = 0

    def paragraph(self, inner):
        if inner:
            self.parts.append(f"<p>{inner}</p>")
            self.paragraphs += 1

    def blocks(self, container):
        for child in container:
            name = _local(child.tag)
            if not name or name in SKIPPED:
                continue
            if name == "p":
                self.paragraph(_inline_html(child))
            elif name in HEADINGS:
                if inner := _inline_html(child):
                    self.parts.append(f"<{HEADINGS[name]}>{inner}</{HEADINGS[name]}>")
            elif name in BLOCKQUOTES:
                self.blockquote(child)
            elif name in LISTS:
                self.list(child, name)
            elif name in CONTAINERS or _holds_blocks(child):
                self.blocks(child)
            else:
                # An element we do not know that holds bare text, e.g. NITF <pre>.
                self.paragraph(_inline_html(child))

    def blockquote(self, element):
        inner = _BodyWriter()
        if any(_local(child.tag) in ("p", "block") for child in element):
            for child in element:
                if _local(child.tag) == "credit":
                    # NITF's attribution inside <bq>.
                    if credit := _inline_html(child):
                        inner.paragraph(f"— {credit}")
                else:
                    inner.blocks([child])
        else:
            inner.paragraph(_inline_html(element))
        if inner.parts:
            self.parts.append(f"<blockquote>{''.join(inner.parts)}</blockquote>")
            self.paragraphs += inner.paragraphs

    def list(self, element, tag):
        items = [_inline_html(item) for item in _children(element, "li")]
        items = [f"<li>{item}</li>" for item in items if item]
        if items:
            self.parts.append(f"<{tag}>{''.join(items)}</{tag}>")
            self.paragraphs += len(items)

    def html(self):
        return "\n".join(self.parts)


def _body_html(containers):
    writer = _BodyWriter()
    for container in containers:
        writer.blocks(container)
    return writer.html(), writer.paragraphs


def _photo_file(folder, href):
    """The picture `href` names inside `folder`, or None: never a file outside that folder."""
    reference = unquote((href or "").strip()).replace("\\", "/")
    if not reference or reference.startswith("/") or urlsplit(reference).scheme:
        return None
    parts = PurePosixPath(reference).parts
    if ".." in parts or any(":" in part for part in parts):
        return None
    try:
        root = folder.resolve()
        candidate = root.joinpath(*parts).resolve()
        # A symlink inside the folder may still point elsewhere.
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    except (OSError, ValueError):
        return None
    return None


def _make_photo(folder, hrefs, *, caption, credit, alt_text, photographer=""):
    hrefs = [href.strip() for href in hrefs if href and href.strip()]
    if not hrefs:
        return None
    # Agencies often send several renditions; take the first one that is actually here.
    found = [(href, path) for href in hrefs if (path := _photo_file(folder, href))]
    href, path = found[0] if found else (hrefs[0], None)
    credited_photographer, source, is_file_photo = split_credit(credit)
    return WirePhoto(
        href=href,
        caption=caption,
        credit=credit,
        alt_text=alt_text,
        photographer=credited_photographer or photographer,
        source=source,
        is_file_photo=is_file_photo,
        path=path,
    )


def _unique_photos(photos):
    seen, kept = set(), []
    for photo in photos:
        if photo is not None and photo.href not in seen:
            seen.add(photo.href)
            kept.append(photo)
    return kept


def _check(story, paragraphs, *, subject):
    if not story.headline:
        raise WireError(f"{subject} has no headline.")
    if len(story.headline) > HEADLINE_MAX_LENGTH:
        raise WireError(
            f"{subject} has a headline of {len(story.headline)} characters; headlines can be at "
            f"most {HEADLINE_MAX_LENGTH}."
        )
    if not paragraphs:
        raise WireError(f"{subject} has no body text.")
    return story


# ---------------------------------------------------------------------------------------------
# NITF


def _byline_text(byline):
    # Leave out the byline title ("Staff Writer", the agency's name).
    parts = [byline.text or ""]
    for child in byline:
        if _local(child.tag) != "byttl":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _nitf_bylines(body_head):
    names = []
    for byline in _children(body_head, "byline"):
        if people := _children(byline, "person"):
            names.extend(_text(person) for person in people)
        else:
            names.extend(_split_names(_byline_text(byline)))
    return _unique(names)


def _nitf_dateline(body_head):
    dateline = _child(body_head, "dateline")
    if dateline is None:
        return ""
    if city := _text(_descendant(dateline, "city")):
        return city
    if (location := _child(dateline, "location")) is not None:
        return _place_from_dateline(_text(location))
    date = _child(dateline, "story.date")
    before_date = (dateline.text or "") if date is not None else _text(dateline)
    return _place_from_dateline(before_date)


def _is_picture(media, references):
    media_type = (media.get("media-type") or "").lower()
    if media_type:
        return media_type in ("image", "photo", "graphic")
    return all((ref.get("mime-type") or "image/").startswith("image/") for ref in references)


def _first_attribute(elements, name):
    return next(filter(None, (_squash(element.get(name)) for element in elements)), "")


def _nitf_photos(contents, folder):
    photos = []
    for content in contents:
        for media in _descendants(content, "media"):
            references = _children(media, "media-reference")
            if not _is_picture(media, references):
                continue
            credit = _text(_child(media, "media-producer")) or _first_attribute(references, "source-credit")
            photos.append(
                _make_photo(
                    folder,
                    [ref.get("source") or ref.get("data-location") for ref in references],
                    caption=_text(_child(media, "media-caption")),
                    credit=credit,
                    alt_text=_first_attribute(references, "alternate-text"),
                )
            )
    return _unique_photos(photos)


def _read_nitf(nitf, path):
    """The story in a NITF element, unchecked, and how many paragraphs of text its body has."""
    docdata = _descendant(_child(nitf, "head"), "docdata")
    body = _child(nitf, "body")
    body_head = _child(body, "body.head")
    hedline = _child(body_head, "hedline")
    contents = _children(body, "body.content")
    body_html, paragraphs = _body_html(contents)
    issued = _child(docdata, "date.issue")
    story_date = _descendant(body_head, "story.date")
    published_at = _parse_datetime(issued.get("norm") if issued is not None else "") or _parse_datetime(
        story_date.get("norm") if story_date is not None else ""
    )
    doc_id = _child(docdata, "doc-id")
    release, expire = _child(docdata, "date.release"), _child(docdata, "date.expire")
    story = WireStory(
        external_id=(doc_id.get("id-string") or "").strip() if doc_id is not None else "",
        headline=_text(_child(hedline, "hl1")),
        dek=_text(_child(hedline, "hl2")) or _text(_child(body_head, "abstract")),
        bylines=_nitf_bylines(body_head),
        dateline=_nitf_dateline(body_head),
        keywords=_unique(
            _squash(keyword.get("key") or _text(keyword))
            for keyword in _children(_child(docdata, "key-list"), "keyword")
        ),
        published_at=published_at,
        embargoed_until=_parse_datetime(release.get("norm") if release is not None else ""),
        expires_at=_parse_datetime(expire.get("norm") if expire is not None else ""),
        body_html=body_html,
        photos=_nitf_photos(contents, path.parent),
        source_name=path.name,
    )
    return story, paragraphs


# ---------------------------------------------------------------------------------------------
# NewsML-G2


def _qcode_value(element):
    """The code's last part: "ninat:text" and ".../newscodes/ninature/text" both give "text"."""
    if element is None:
        return ""
    code = element.get("qcode") or element.get("uri") or ""
    return re.split(r"[:/]", code)[-1].lower()


def _item_kind(item):
    kind = _qcode_value(_descendant(_child(item, "itemMeta"), "itemClass"))
    if kind:
        return kind
    content_set = _child(item, "contentSet")
    if _children(content_set, "inlineXML") or _children(content_set, "inlineData"):
        return "text"
    if any(
        (remote.get("contenttype") or "").startswith("image/")
        for remote in _children(content_set, "remoteContent")
    ):
        return "picture"
    return ""


def _role(element):
    return (element.get("role") or "").lower()


def _descriptions(content_meta):
    return [(_role(d), _text(d)) for d in _children(content_meta, "description") if _text(d)]


def _picture(item, folder):
    content_meta = _child(item, "contentMeta")
    descriptions = _descriptions(content_meta)
    captions = [text for role, text in descriptions if "caption" in role] + [
        text for role, text in descriptions if not role
    ]
    alt_texts = [_text(alt) for alt in _descendants(content_meta, "altText")] + [
        text for role, text in descriptions if "alt" in role
    ]
    hrefs = [remote.get("href") for remote in _children(_child(item, "contentSet"), "remoteContent")]
    creators = [_text(_child(creator, "name")) for creator in _children(content_meta, "creator")]
    return _make_photo(
        folder,
        hrefs,
        caption=next(iter(captions), "") or _text(_child(content_meta, "headline")),
        credit=_text(_child(content_meta, "creditline")),
        alt_text=next(filter(None, alt_texts), ""),
        photographer=next(filter(None, creators), ""),
    )


def _main_headline(content_meta):
    headlines = _children(content_meta, "headline")
    plain = [h for h in headlines if not _role(h) or "main" in _role(h)]
    return _text(next(iter(plain or headlines), None))


def _newsml_bylines(content_meta):
    names = [name for by in _children(content_meta, "by") for name in _split_names(_text(by))]
    if names:
        return _unique(names)
    return _unique(
        _text(_child(creator, "name"))
        for creator in _children(content_meta, "creator")
        if not re.search(r"organi[sz]ation", creator.get("type") or "", re.IGNORECASE)
    )


def _inline_content(item):
    """(NITF element or None, XHTML-ish containers, plain-text paragraphs) from the contentSet."""
    content_set = _child(item, "contentSet")
    for content in content_set if content_set is not None else []:
        name = _local(content.tag)
        if name == "inlineXML":
            nitf = _descendant(content, "nitf")
            if nitf is not None:
                return nitf, [], []
            body = _descendant(content, "body")
            return None, [body if body is not None else content], []
        if name == "inlineData" and "text/plain" in (content.get("contenttype") or "text/plain"):
            return None, [], [p for p in re.split(r"\n[ \t]*\n", content.text or "") if _squash(p)]
    return None, [], []


def _story_from_news_item(item, path, subject, package_photos):
    item_meta = _child(item, "itemMeta")
    content_meta = _child(item, "contentMeta")
    nitf_element, containers, plain_paragraphs = _inline_content(item)
    nitf, paragraphs = _read_nitf(nitf_element, path) if nitf_element is not None else (None, 0)
    if nitf is not None:
        body_html = nitf.body_html
    elif plain_paragraphs:
        body_html = "\n".join(f"<p>{_escape(p).strip(' ')}</p>" for p in plain_paragraphs)
        paragraphs = len(plain_paragraphs)
    else:
        body_html, paragraphs = _body_html(containers)

    descriptions = _descriptions(content_meta)
    summaries = [text for role, text in descriptions if "summary" in role or "abstract" in role]
    summaries += [text for role, text in descriptions if not role]
    # The printed dateline says the place as the agency wants it shown; `located` is metadata.
    dateline = _place_from_dateline(_text(_child(content_meta, "dateline")))
    dateline = dateline or _text(_child(_child(content_meta, "located"), "name"))
    xhtml_headline = next((_text(h) for c in containers for h in _descendants(c, "h1")), "")
    published_at = next(
        filter(
            None,
            (
                _parse_datetime(_text(_child(item_meta, "firstCreated"))),
                _parse_datetime(_text(_child(item_meta, "versionCreated"))),
                _parse_datetime(_text(_child(content_meta, "contentCreated"))),
            ),
        ),
        None,
    )
    keywords = [_text(keyword) for keyword in _children(content_meta, "keyword")]
    keywords += [_text(_child(subject_el, "name")) for subject_el in _children(content_meta, "subject")]
    story = WireStory(
        external_id=(item.get("guid") or "").strip() or (nitf.external_id if nitf else ""),
        version=(item.get("version") or "").strip(),
        headline=_main_headline(content_meta) or (nitf.headline if nitf else xhtml_headline),
        dek=next(iter(summaries), "") or (nitf.dek if nitf else ""),
        bylines=_newsml_bylines(content_meta) or (nitf.bylines if nitf else []),
        dateline=dateline or (nitf.dateline if nitf else ""),
        body_html=body_html,
        keywords=_unique(keywords + (nitf.keywords if nitf else [])),
        published_at=published_at or (nitf.published_at if nitf else None),
        embargoed_until=_meta_datetime(item_meta, content_meta, "embargoed")
        or (nitf.embargoed_until if nitf else None),
        expires_at=_meta_datetime(item_meta, content_meta, "expires") or (nitf.expires_at if nitf else None),
        photos=_unique_photos((nitf.photos if nitf else []) + package_photos),
        source_name=path.name,
    )
    return _check(story, paragraphs, subject=subject)


def _package_refs(package):
    return [ref.get("residref", "").strip() for ref in _descendants(package, "itemRef")]


def _stories_from_message(message, path):
    items = _descendants(message, "newsItem")
    packages = _descendants(message, "packageItem")
    folder = path.parent
    # Pictures belong to the package that names them (or to no package); text items get the
    # pictures of the package they are in.
    package_of = {}
    for index, package in enumerate(packages):
        for guid in _package_refs(package):
            package_of.setdefault(guid, index)
    texts = [item for item in items if _item_kind(item) == "text"]
    if not texts:
        raise WireError(f"{_quoted(path.name)} contains no text stories.")
    pictures = {}
    for item in items:
        if _item_kind(item) in ("picture", "graphic"):
            group = package_of.get((item.get("guid") or "").strip())
            pictures.setdefault(group, []).append(_picture(item, folder))
    stories = []
    for item in texts:
        guid = (item.get("guid") or "").strip()
        subject = f"{_quoted(path.name)}, item {guid}," if guid else _quoted(path.name)
        photos = [p for p in pictures.get(package_of.get(guid), []) if p is not None]
        stories.append(_story_from_news_item(item, path, subject, photos))
    return stories


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
    kind = _local(root.tag)
    if kind == "nitf":
        return [_check(*_read_nitf(root, path), subject=_quoted(path.name))]
    if kind == "newsItem":
        if (item_kind := _item_kind(root)) in ("picture", "graphic"):
            raise WireError(
                f"{_quoted(path.name)} is a NewsML-G2 {item_kind} item, not a story; pictures are "
                "imported with the story whose package names them."
            )
        if item_kind != "text":
            what = f"a NewsML-G2 {item_kind} item" if item_kind else "a NewsML-G2 item of no known kind"
            raise WireError(f"{_quoted(path.name)} is {what}, with no story text.")
        return [_story_from_news_item(root, path, _quoted(path.name), [])]
    if kind == "newsMessage":
        return _stories_from_message(root, path)
    raise WireError(f"{_quoted(path.name)} is not NITF or NewsML-G2 (its root element is <{kind}>).")


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


def _extract(archive, members, folder, label):
    written = 0
    for info, parts in members:
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            size = 0
            while chunk := source.read(1024 * 1024):
                size += len(chunk)
                written += len(chunk)
                # The sizes in the zip's directory are only claims; count what really comes out.
                if size > MAX_ZIP_MEMBER_BYTES or written > MAX_ZIP_TOTAL_BYTES:
                    raise WireError(
                        f"{label} unpacks to more than its listed size allows; the archive was refused."
                    )
                out.write(chunk)


def _zip_sources(path):
    label = _quoted(path.name)
    with tempfile.TemporaryDirectory(prefix="wire-") as temp:
        folder = Path(temp)
        try:
            with zipfile.ZipFile(path) as archive:
                members = _checked_members(archive, label)
                _extract(archive, members, folder, label)
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
        raise WireError(f"{_quoted(path.name)} does not exist.")
    else:
        raise WireError(f"{_quoted(path.name)} is not an .xml file, a folder or a .zip archive.")
