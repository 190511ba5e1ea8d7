"""Readable differences between two saved revisions of a story."""

import difflib
import html
import re

from django.utils.html import strip_tags

# The text fields editors compare between revisions; the importer uses them to spot local edits.
COMPARED_FIELDS = [("headline", "Headline"), ("dek", "Dek"), ("dateline", "Dateline"), ("body", "Body")]
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption)>", re.IGNORECASE)


def readable_text(value):
    """Body HTML as plain text, one block per line."""
    text = _BLOCK_END.sub("\n", value or "")
    return html.unescape(strip_tags(text)).strip()


def word_diff(old, new):
    """[(operation, text)] where operation is 'same', 'removed' or 'added'.

    The caller renders `text` with autoescaping: a revision holding markup shows it as text.
    """
    # Words keep their trailing space, so a shared space does not split a changed phrase.
    old_words = re.findall(r"\S+\s*|\s+", old)
    new_words = re.findall(r"\S+\s*|\s+", new)
    segments = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(new_words[j1:j2])))
    return segments


def compare_versions(older, newer):
    old_fields, new_fields = older.field_dict, newer.field_dict
    comparison = []
    for name, label in COMPARED_FIELDS:
        old, new = old_fields.get(name) or "", new_fields.get(name) or ""
        if name == "body":
            old, new = readable_text(old), readable_text(new)
        comparison.append({"label": label, "changed": old != new, "segments": word_diff(old, new)})
    return comparison
