"""Which section an imported wire story is filed in, and why: the one home of that rule.

In order, the first that matches wins:

1. An editor's `WireSubjectRule` for one of the story's subject codes, subject names or
   keywords, in the order the agency gave them (codes before names, subjects before keywords).
2. The default, which needs no set-up: a subject whose name, or the name of its top-level IPTC
   Media Topic, is a section's name or slug, capitals aside. "sport" files under Sport. When no
   whole name matches, a part of one may: "economy, business and finance" files under Business.
3. The default section chosen for the import.
"""

import re
from dataclasses import dataclass

from ..models import Section, WireSubjectRule
from .mediatopics import top_level_name

NAME_PARTS = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")


@dataclass(frozen=True)
class Filing:
    section: Section
    reason: str  # for the editor, e.g. "Filed under Sport: subject medtop:15000000 (sport) matches ..."


@dataclass(frozen=True)
class FilingRules:
    """The editors' rules and the sections, read once per import."""

    rules: dict
    sections: list

    @classmethod
    def load(cls):
        rules = WireSubjectRule.objects.select_related("section")
        return cls({rule.subject.casefold(): rule for rule in rules}, list(Section.objects.all()))


def file_story(story, *, default, rules=None):
    """The section for a new wire story (`WireStory`) and the sentence saying which rule chose it."""
    rules = rules or FilingRules.load()
    terms = [("subject", subject, subject.code) for subject in story.subjects if subject.code]
    terms += [("subject", subject, subject.name) for subject in story.subjects if subject.name]
    terms += [("keyword", f"“{keyword}”", keyword) for keyword in story.keywords]
    for kind, what, term in terms:
        if rule := rules.rules.get(term.casefold()):
            return _filed(rule.section, f"{kind} {what} matches the rule “{rule}”")
    for whole_names in (True, False):
        for subject in story.subjects:
            for name in filter(None, (subject.name, top_level_name(subject.code))):
                for part in [name] if whole_names else NAME_PARTS.split(name):
                    section, field = _section_named(rules.sections, part)
                    if section is None:
                        continue
                    described = subject if subject.name else f"{subject.code} ({name})"
                    matched = "" if whole_names else f", in part (“{part}”),"
                    return _filed(section, f"subject {described}{matched} matches the section {field}")
    return _filed(default, "no subject rule or section name matched, so the default section")


def _filed(section, why):
    return Filing(section, f"Filed under {section}: {why}.")


def _section_named(sections, name):
    for section in sections:
        for field in ("name", "slug"):
            if name and getattr(section, field).casefold() == name.casefold():
                return section, field
    return None, None
