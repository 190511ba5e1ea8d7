"""Credit lines: "Jane Doe / Agency file", and reading one back into its parts.

The one rule for the line readers see: the credit staff typed, else the one built from the
photographer, the agency and the file-photo flag. A credit that was itself built earlier is
rebuilt when those parts change, so ticking "File photo" shows up for readers.
"""

import re


def compose_credit(photographer, source, is_file_photo=False):
    """The built credit line: "Jane Doe / Agency", "Jane Doe / Agency file", either part alone, or ""."""
    parts = [part for part in (photographer.strip(), source.strip()) if part]
    if parts and is_file_photo:
        parts[-1] = f"{parts[-1]} file"
    return " / ".join(parts)


def credit_for_readers(*, credit, photographer, source, is_file_photo, built_before=()):
    """The credit readers see: the typed `credit`, unless it is empty or one of `built_before`
    (lines built earlier from the photo's parts, so not typed by anyone): then it is rebuilt."""
    credit = credit.strip()
    if credit and credit not in built_before:
        return credit
    return compose_credit(photographer, source, is_file_photo)


def built_credits(photographer, source, is_file_photo):
    """The lines the photo desk could have built from these parts, with and without the file flag
    (photos described before the flag was part of the line have the shorter one)."""
    lines = {compose_credit(photographer, source, is_file_photo), compose_credit(photographer, source)}
    return lines - {""}


def split_credit(credit):
    """Split a credit line into (photographer, source, is_file_photo).

    "Jane Doe / Agency file" gives ("Jane Doe", "Agency", True); a single name is taken as
    the source: "Agency" gives ("", "Agency", False).
    """
    credit = credit.strip()
    photographer, slash, source = credit.partition("/")
    if not slash:
        photographer, source = "", credit
    source = source.strip()
    is_file_photo = False
    if match := re.fullmatch(r"(.*?)\s*\bfile", source, flags=re.IGNORECASE):
        source, is_file_photo = match[1], True
    return photographer.strip(), source.strip(), is_file_photo
