"""What every wire format reads into: `WireStory` and `WirePhoto`, and the XML helpers, body
HTML writer and photo lookup that NITF and NewsML-G2 share. Pure: no models, no database."""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..photos.credits import split_credit

HEADLINE_MAX_LENGTH = 160

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


@dataclass(frozen=True)
class WireSubject:
    """A subject the agency gave the story: an IPTC code such as "medtop:15000000" and its name
    ("sport") when the file says it; either may be empty."""

    code: str = ""
    name: str = ""

    def __str__(self):
        if self.code and self.name:
            return f"{self.code} ({self.name})"
        return self.code or f"“{self.name}”"


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
    subjects: list[WireSubject] = field(default_factory=list)
    published_at: datetime | None = None
    embargoed_until: datetime | None = None  # not to be made public before this
    expires_at: datetime | None = None  # the licence to use it runs out
    photos: list[WirePhoto] = field(default_factory=list)
    source_name: str = ""


# ---------------------------------------------------------------------------------------------
# Element helpers. Every lookup goes by local name, so NITF with or without its namespace,
# NITF inside NewsML-G2, and XHTML all read the same way.


def local_name(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element, name):
    return [child for child in element if local_name(child.tag) == name] if element is not None else []


def first_child(element, name):
    return next(iter(children(element, name)), None)


def descendants(element, name):
    if element is None:
        return []
    return [node for node in element.iter() if local_name(node.tag) == name]


def descendant(element, name):
    return next(iter(descendants(element, name)), None)


def squash(text):
    return XML_SPACE.sub(" ", text or "").strip(" ")


def text_of(element):
    return squash("".join(element.itertext())) if element is not None else ""


def unique(values):
    seen, kept = set(), []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            kept.append(value)
    return kept


def unique_subjects(subjects):
    seen, kept = set(), []
    for subject in subjects:
        key = (subject.code.casefold(), subject.name.casefold())
        if (subject.code or subject.name) and key not in seen:
            seen.add(key)
            kept.append(subject)
    return kept


# The IPTC's vocabularies by URI and by their usual scheme alias.
IPTC_SCHEMES = {
    "http://cv.iptc.org/newscodes/mediatopic/": "medtop:",
    "https://cv.iptc.org/newscodes/mediatopic/": "medtop:",
    "http://cv.iptc.org/newscodes/subjectcode/": "subj:",
    "https://cv.iptc.org/newscodes/subjectcode/": "subj:",
}


def subject_code(value):
    """"medtop:15000000" as it is, the same code given as a URI in its qcode form."""
    value = (value or "").strip()
    for prefix, alias in IPTC_SCHEMES.items():
        if value.startswith(prefix):
            return alias + value[len(prefix) :].strip("/")
    return value


def quoted(name):
    return f"“{name}”"


# ---------------------------------------------------------------------------------------------
# Shared pieces: dates, names, datelines, body HTML, photo files.


def parse_datetime(value):
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


def split_names(text):
    text = BYLINE_PREFIX.sub("", squash(text))
    return [name for name in NAME_SEPARATORS.split(text) if name]


def place_from_dateline(text):
    return DATELINE_END.split(squash(text), maxsplit=1)[0].strip(" .:")


def escape_text(text):
    return html.escape(XML_SPACE.sub(" ", text or ""), quote=False)


def _inline_html(element):
    """The element's text with emphasis, links and line breaks kept, everything else unwrapped."""
    parts = [escape_text(element.text)]
    for child in element:
        name = local_name(child.tag)
        if name == "br":
            parts.append("<br>")
        elif name in EMPHASIS:
            tag = EMPHASIS[name]
            parts.append(f"<{tag}>{_inline_html(child)}</{tag}>")
        elif name == "a" and child.get("href"):
            parts.append(f'<a href="{html.escape(child.get("href").strip())}">{_inline_html(child)}</a>')
        elif name:
            parts.append(_inline_html(child))
        parts.append(escape_text(child.tail))
    return "".join(parts).strip(" ")


def _holds_blocks(element):
    return any(local_name(child.tag) in BLOCK_NAMES for child in element)


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
            name = local_name(child.tag)
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
        if any(local_name(child.tag) in ("p", "block") for child in element):
            for child in element:
                if local_name(child.tag) == "credit":
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
        items = [_inline_html(item) for item in children(element, "li")]
        items = [f"<li>{item}</li>" for item in items if item]
        if items:
            self.parts.append(f"<{tag}>{''.join(items)}</{tag}>")
            self.paragraphs += len(items)

    def html(self):
        return "\n".join(self.parts)


def write_body_html(containers):
    writer = _BodyWriter()
    for container in containers:
        writer.blocks(container)
    return writer.html(), writer.paragraphs


def file_in_folder(folder, href):
    """The file `href` names inside `folder`, or None: never a file outside that folder."""
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


def make_photo(folder, hrefs, *, caption, credit, alt_text, photographer=""):
    hrefs = [href.strip() for href in hrefs if href and href.strip()]
    if not hrefs:
        return None
    # Agencies often send several renditions; take the first one that is actually here.
    found = [(href, path) for href in hrefs if (path := file_in_folder(folder, href))]
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


def unique_photos(photos):
    seen, kept = set(), []
    for photo in photos:
        if photo is not None and photo.href not in seen:
            seen.add(photo.href)
            kept.append(photo)
    return kept


def check_story(story, paragraphs, *, subject):
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
