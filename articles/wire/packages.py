"""NewsML-G2 packages: a `packageItem`, on its own or inside a `newsMessage`, whose `itemRef`s
name the text and picture items of a story. The items may sit in the same message or in sibling
files of the delivery; `find_item` (from sources.py) looks those up. Pure: no models.
"""

from .common import WireError, descendants, first_child, quoted, unique_subjects
from .newsml import kind_of_item, picture_from_item, qcode_value, story_from_news_item, subjects_of

PICTURE_KINDS = ("picture", "graphic")
STORY_KINDS = ("text", *PICTURE_KINDS)


def item_refs(package):
    """(residref, href, kind the reference announces) for each itemRef, in the package's order."""
    return [
        (
            (ref.get("residref") or "").strip(),
            (ref.get("href") or "").strip(),
            qcode_value(first_child(ref, "itemClass")),
        )
        for ref in descendants(package, "itemRef")
    ]


def _subject(item, path):
    guid = (item.get("guid") or "").strip()
    return f"{quoted(path.name)}, item {guid}," if guid else quoted(path.name)


def stories_from_package(package, path, find_item):
    """The package's text item as a story, with its pictures in the package's order.

    `find_item(residref, href)` returns (newsItem element, file it is in) or None. A text or
    picture the package names but the delivery lacks fails the package with a clear message;
    video, audio and other kinds we do not import are passed over.
    """
    label = _subject(package, path)
    texts, photos = [], []
    for residref, href, announced_kind in item_refs(package):
        found = find_item(residref, href)
        if found is None:
            if announced_kind and announced_kind not in STORY_KINDS:
                continue
            raise WireError(
                f"{label} names the item “{residref or href}”, which is not in the delivery. "
                "Upload the package together with its items (a folder or a zip)."
            )
        item, item_path = found
        kind = kind_of_item(item)
        if kind == "text":
            texts.append((item, item_path))
        elif kind in PICTURE_KINDS:
            photos.append(picture_from_item(item, item_path.parent))
    if not texts:
        raise WireError(f"{label} is a package with no text story in it.")
    package_subjects = subjects_of(first_child(package, "contentMeta"))
    stories = []
    for item, item_path in texts:
        story = story_from_news_item(item, item_path, _subject(item, item_path), [p for p in photos if p])
        story.subjects = unique_subjects(story.subjects + package_subjects)
        stories.append(story)
    return stories


def stories_from_message(message, path, find_sibling):
    """One story per text item of a newsMessage. Packaged texts get their package's pictures;
    texts outside any package get the pictures outside any package."""
    items = descendants(message, "newsItem")
    by_guid = {(item.get("guid") or "").strip(): item for item in items}

    def find_item(residref, href):
        if residref and residref in by_guid:
            return by_guid[residref], path
        return find_sibling(residref, href)

    stories, packaged = [], set()
    for package in descendants(message, "packageItem"):
        packaged.update(residref for residref, _href, _kind in item_refs(package))
        stories += stories_from_package(package, path, find_item)
    loose = [item for item in items if (item.get("guid") or "").strip() not in packaged]
    photos = [picture_from_item(item, path.parent) for item in loose if kind_of_item(item) in PICTURE_KINDS]
    for item in loose:
        if kind_of_item(item) == "text":
            stories.append(story_from_news_item(item, path, _subject(item, path), [p for p in photos if p]))
    if not stories:
        raise WireError(f"{quoted(path.name)} contains no text stories.")
    return stories


def package_refs_in(root):
    """The (residref, href) pairs every package in `root` (a packageItem or newsMessage) names."""
    # iter() includes the element itself, so a packageItem root counts as its own package.
    packages = descendants(root, "packageItem")
    return [(residref, href) for package in packages for residref, href, _kind in item_refs(package)]
