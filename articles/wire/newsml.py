"""IPTC NewsML-G2 2.x: text and picture `newsItem`s. Packages and messages, which tie text items
to their pictures, are read in packages.py."""

import re

from .common import (
    WireStory,
    WireSubject,
    check_story,
    children,
    descendant,
    descendants,
    escape_text,
    first_child,
    local_name,
    make_photo,
    parse_datetime,
    place_from_dateline,
    split_names,
    squash,
    subject_code,
    text_of,
    unique,
    unique_photos,
    unique_subjects,
    write_body_html,
)
from .nitf import read_nitf


def _meta_datetime(item_meta, content_meta, name):
    """A NewsML-G2 date from itemMeta, where the specification puts `embargoed` and `expires`;
    contentMeta too, where some agencies send them. An empty element (a time yet to be
    announced) reads as None."""
    found = parse_datetime(text_of(first_child(item_meta, name)))
    return found or parse_datetime(text_of(first_child(content_meta, name)))

def qcode_value(element):
    """The code's last part: "ninat:text" and ".../newscodes/ninature/text" both give "text"."""
    if element is None:
        return ""
    code = element.get("qcode") or element.get("uri") or ""
    return re.split(r"[:/]", code)[-1].lower()


def kind_of_item(item):
    kind = qcode_value(descendant(first_child(item, "itemMeta"), "itemClass"))
    if kind:
        return kind
    content_set = first_child(item, "contentSet")
    if children(content_set, "inlineXML") or children(content_set, "inlineData"):
        return "text"
    if any(
        (remote.get("contenttype") or "").startswith("image/")
        for remote in children(content_set, "remoteContent")
    ):
        return "picture"
    return ""


def _role(element):
    return (element.get("role") or "").lower()


def _descriptions(content_meta):
    return [(_role(d), text_of(d)) for d in children(content_meta, "description") if text_of(d)]


def picture_from_item(item, folder):
    content_meta = first_child(item, "contentMeta")
    descriptions = _descriptions(content_meta)
    captions = [text for role, text in descriptions if "caption" in role] + [
        text for role, text in descriptions if not role
    ]
    alt_texts = [text_of(alt) for alt in descendants(content_meta, "altText")] + [
        text for role, text in descriptions if "alt" in role
    ]
    hrefs = [remote.get("href") for remote in children(first_child(item, "contentSet"), "remoteContent")]
    creators = [text_of(first_child(creator, "name")) for creator in children(content_meta, "creator")]
    return make_photo(
        folder,
        hrefs,
        caption=next(iter(captions), "") or text_of(first_child(content_meta, "headline")),
        credit=text_of(first_child(content_meta, "creditline")),
        alt_text=next(filter(None, alt_texts), ""),
        photographer=next(filter(None, creators), ""),
    )


def subjects_of(content_meta):
    """The item's subjects with their codes and names, each followed by the broader subjects the
    file names for it (a baseball subject may say it sits under medtop:15000000, sport)."""
    found = []
    for element in children(content_meta, "subject"):
        for concept in (element, *children(element, "broader")):
            code = subject_code(concept.get("qcode") or concept.get("uri"))
            found.append(WireSubject(code, text_of(first_child(concept, "name"))))
    return unique_subjects(found)


def _main_headline(content_meta):
    headlines = children(content_meta, "headline")
    plain = [h for h in headlines if not _role(h) or "main" in _role(h)]
    return text_of(next(iter(plain or headlines), None))


def _newsml_bylines(content_meta):
    names = [name for by in children(content_meta, "by") for name in split_names(text_of(by))]
    if names:
        return unique(names)
    return unique(
        text_of(first_child(creator, "name"))
        for creator in children(content_meta, "creator")
        if not re.search(r"organi[sz]ation", creator.get("type") or "", re.IGNORECASE)
    )


def _inline_content(item):
    """(NITF element or None, XHTML-ish containers, plain-text paragraphs) from the contentSet."""
    content_set = first_child(item, "contentSet")
    for content in content_set if content_set is not None else []:
        name = local_name(content.tag)
        if name == "inlineXML":
            nitf = descendant(content, "nitf")
            if nitf is not None:
                return nitf, [], []
            body = descendant(content, "body")
            return None, [body if body is not None else content], []
        if name == "inlineData" and "text/plain" in (content.get("contenttype") or "text/plain"):
            return None, [], [p for p in re.split(r"\n[ \t]*\n", content.text or "") if squash(p)]
    return None, [], []


def story_from_news_item(item, path, subject, package_photos):
    item_meta = first_child(item, "itemMeta")
    content_meta = first_child(item, "contentMeta")
    nitf_element, containers, plain_paragraphs = _inline_content(item)
    nitf, paragraphs = read_nitf(nitf_element, path) if nitf_element is not None else (None, 0)
    if nitf is not None:
        body_html = nitf.body_html
    elif plain_paragraphs:
        body_html = "\n".join(f"<p>{escape_text(p).strip(' ')}</p>" for p in plain_paragraphs)
        paragraphs = len(plain_paragraphs)
    else:
        body_html, paragraphs = write_body_html(containers)

    descriptions = _descriptions(content_meta)
    summaries = [text for role, text in descriptions if "summary" in role or "abstract" in role]
    summaries += [text for role, text in descriptions if not role]
    # The printed dateline says the place as the agency wants it shown; `located` is metadata.
    dateline = place_from_dateline(text_of(first_child(content_meta, "dateline")))
    dateline = dateline or text_of(first_child(first_child(content_meta, "located"), "name"))
    xhtml_headline = next((text_of(h) for c in containers for h in descendants(c, "h1")), "")
    published_at = next(
        filter(
            None,
            (
                parse_datetime(text_of(first_child(item_meta, "firstCreated"))),
                parse_datetime(text_of(first_child(item_meta, "versionCreated"))),
                parse_datetime(text_of(first_child(content_meta, "contentCreated"))),
            ),
        ),
        None,
    )
    keywords = [text_of(keyword) for keyword in children(content_meta, "keyword")]
    keywords += [text_of(first_child(subject_el, "name")) for subject_el in children(content_meta, "subject")]
    story = WireStory(
        external_id=(item.get("guid") or "").strip() or (nitf.external_id if nitf else ""),
        version=(item.get("version") or "").strip(),
        headline=_main_headline(content_meta) or (nitf.headline if nitf else xhtml_headline),
        dek=next(iter(summaries), "") or (nitf.dek if nitf else ""),
        bylines=_newsml_bylines(content_meta) or (nitf.bylines if nitf else []),
        dateline=dateline or (nitf.dateline if nitf else ""),
        body_html=body_html,
        keywords=unique(keywords + (nitf.keywords if nitf else [])),
        subjects=unique_subjects(subjects_of(content_meta) + (nitf.subjects if nitf else [])),
        published_at=published_at or (nitf.published_at if nitf else None),
        embargoed_until=_meta_datetime(item_meta, content_meta, "embargoed")
        or (nitf.embargoed_until if nitf else None),
        expires_at=_meta_datetime(item_meta, content_meta, "expires") or (nitf.expires_at if nitf else None),
        photos=unique_photos((nitf.photos if nitf else []) + package_photos),
        source_name=path.name,
    )
    return check_story(story, paragraphs, subject=subject)
