"""The 17 top-level IPTC Media Topics, so a subject code alone ("medtop:15000000") can file a
story in the section of the same name with no set-up.

From the IPTC NewsCodes Media Topic vocabulary (https://cv.iptc.org/newscodes/mediatopic/,
English names as published by the IPTC, CC BY 4.0). The older IPTC Subject Codes
("subj:15000000"), which NITF carries, use the same eight-digit numbers for the same top-level
topics, so they are read through this table too.
"""

TOP_LEVEL = {
    "01000000": "arts, culture, entertainment and media",
    "02000000": "crime, law and justice",
    "03000000": "disaster, accident and emergency incident",
    "04000000": "economy, business and finance",
    "05000000": "education",
    "06000000": "environment",
    "07000000": "health",
    "08000000": "human interest",
    "09000000": "labour",
    "10000000": "lifestyle and leisure",
    "11000000": "politics",
    "12000000": "religion",
    "13000000": "science and technology",
    "14000000": "society",
    "15000000": "sport",
    "16000000": "conflict, war and peace",
    "17000000": "weather",
}

SCHEMES = ("medtop:", "subj:")


def top_level_name(code):
    """The Media Topic name of a top-level code ("medtop:15000000" → "sport"), else ""."""
    scheme, _, number = code.lower().partition(":")
    return TOP_LEVEL.get(number, "") if f"{scheme}:" in SCHEMES else ""
