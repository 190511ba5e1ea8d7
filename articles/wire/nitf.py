"""IPTC NITF 3.x: one story per file, its photos referenced by `<media>` elements."""

from .common import (
    WireStory,
    WireSubject,
    children,
    descendant,
    descendants,
    first_child,
    local_name,
    make_photo,
    parse_datetime,
    place_from_dateline,
    split_names,
    squash,
    text_of,
    unique,
    unique_photos,
    unique_subjects,
    write_body_html,
)

# ---------------------------------------------------------------------------------------------
# NITF


def _byline_text(byline):
    # Leave out the byline title ("Staff Writer", the agency's name).
    parts = [byline.text or ""]
    for child in byline:
        if local_name(child.tag) != "byttl":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _nitf_bylines(body_head):
    names = []
    for byline in children(body_head, "byline"):
        if people := children(byline, "person"):
            names.extend(text_of(person) for person in people)
        else:
            names.extend(split_names(_byline_text(byline)))
    return unique(names)


def _nitf_dateline(body_head):
    dateline = first_child(body_head, "dateline")
    if dateline is None:
        return ""
    if city := text_of(descendant(dateline, "city")):
        return city
    if (location := first_child(dateline, "location")) is not None:
        return place_from_dateline(text_of(location))
    date = first_child(dateline, "story.date")
    before_date = (dateline.text or "") if date is not None else text_of(dateline)
    return place_from_dateline(before_date)


def _is_picture(media, references):
    media_type = (media.get("media-type") or "").lower()
    if media_type:
        return media_type in ("image", "photo", "graphic")
    return all((ref.get("mime-type") or "image/").startswith("image/") for ref in references)


def _first_attribute(elements, name):
    return next(filter(None, (squash(element.get(name)) for element in elements)), "")


def _nitf_photos(contents, folder):
    photos = []
    for content in contents:
        for media in descendants(content, "media"):
            references = children(media, "media-reference")
            if not _is_picture(media, references):
                continue
            credit = text_of(first_child(media, "media-producer")) or _first_attribute(
                references, "source-credit"
            )
            photos.append(
                make_photo(
                    folder,
                    [ref.get("source") or ref.get("data-location") for ref in references],
                    caption=text_of(first_child(media, "media-caption")),
                    credit=credit,
                    alt_text=_first_attribute(references, "alternate-text"),
                )
            )
    return unique_photos(photos)


def _nitf_subjects(head):
    """NITF's IPTC Subject Codes ("tobject.subject refnum=15007000"), each followed by its
    top-level subject ("subj:15000000", named by tobject.subject.type)."""
    found = []
    for element in descendants(head, "tobject.subject"):
        refnum = squash(element.get("tobject.subject.refnum"))
        top_name = squash(element.get("tobject.subject.type"))
        name = element.get("tobject.subject.detail") or element.get("tobject.subject.matter")
        name = squash(name) or top_name
        found.append(WireSubject(f"subj:{refnum}" if refnum else "", name))
        if refnum.isdigit() and len(refnum) == 8 and not refnum.endswith("000000"):
            found.append(WireSubject(f"subj:{refnum[:2]}000000", top_name))
    return unique_subjects(found)


def read_nitf(nitf, path):
    """The story in a NITF element, unchecked, and how many paragraphs of text its body has."""
    docdata = descendant(first_child(nitf, "head"), "docdata")
    body = first_child(nitf, "body")
    body_head = first_child(body, "body.head")
    hedline = first_child(body_head, "hedline")
    contents = children(body, "body.content")
    body_html, paragraphs = write_body_html(contents)
    issued = first_child(docdata, "date.issue")
    story_date = descendant(body_head, "story.date")
    published_at = parse_datetime(issued.get("norm") if issued is not None else "") or parse_datetime(
        story_date.get("norm") if story_date is not None else ""
    )
    doc_id = first_child(docdata, "doc-id")
    release, expire = first_child(docdata, "date.release"), first_child(docdata, "date.expire")
    story = WireStory(
        external_id=(doc_id.get("id-string") or "").strip() if doc_id is not None else "",
        headline=text_of(first_child(hedline, "hl1")),
        dek=text_of(first_child(hedline, "hl2")) or text_of(first_child(body_head, "abstract")),
        bylines=_nitf_bylines(body_head),
        dateline=_nitf_dateline(body_head),
        keywords=unique(
            squash(keyword.get("key") or text_of(keyword))
            for keyword in children(first_child(docdata, "key-list"), "keyword")
        ),
        subjects=_nitf_subjects(first_child(nitf, "head")),
        published_at=published_at,
        embargoed_until=parse_datetime(release.get("norm") if release is not None else ""),
        expires_at=parse_datetime(expire.get("norm") if expire is not None else ""),
        body_html=body_html,
        photos=_nitf_photos(contents, path.parent),
        source_name=path.name,
    )
    return story, paragraphs
