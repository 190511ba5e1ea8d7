"""The dateline is printed once, before the first paragraph: a body that starts with it again
("WASHINGTON —", "WASHINGTON (Agency) —", pasted from the wire) loses that copy."""

import re

# The first paragraph's opening tag and any inline tags before its text (bold datelines).
_OPENING = r"^\s*<p(?:\s[^>]*)?>\s*(?P<inline>(?:<(?:strong|b|em|i)>\s*)*)"
_CLOSING_INLINE = r"(?:\s*</(?:strong|b|em|i)>)*"
# Dashes as pasted: em dash, en dash, a hyphen or two, with or without spaces around.
_DASH = r"\s*(?:—|–|--?|&mdash;|&ndash;)\s*"


def _pattern(dateline):
    place = re.escape(dateline.strip().rstrip("—–- ").strip())
    return re.compile(
        _OPENING + place + r"(?:,?\s*\([^)<]{1,60}\))?" + _CLOSING_INLINE + _DASH + _CLOSING_INLINE + r"\s*",
        flags=re.IGNORECASE,
    )


def remove_repeated_dateline(body, dateline):
    """(body without a leading copy of `dateline`, whether one was removed).

    `body` is the story's HTML. Only the very start of the first paragraph is looked at: the
    place named later in the text ("Washington — a city that…" in paragraph three) stays.
    """
    if not dateline or not dateline.strip() or not body:
        return body, False
    match = _pattern(dateline).match(body)
    if match is None:
        return body, False
    opening = re.match(r"^\s*<p(?:\s[^>]*)?>", body).group(0).strip()
    rest = body[match.end() :]
    # Inline tags opened before the dateline and closed after it are gone with it; any still
    # open are closed again further on, so they are put back.
    inline = match.group("inline") or ""
    unclosed = [tag for tag in re.findall(r"<(\w+)>", inline) if f"</{tag}>" not in match.group(0)]
    return opening + "".join(f"<{tag}>" for tag in unclosed) + rest, True
