"""Credit lines: "Jane Doe / Agency", and reading one back into its parts."""

import re


def compose_credit(photographer, source):
    """The printed credit line: "Jane Doe / Agency", either part alone, or ""."""
    return " / ".join(part for part in (photographer.strip(), source.strip()) if part)


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
