"""The API's response shapes. Story fields follow IPTC ninjs 2.1; docs/api.md maps each one."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from ...stories.ninjs import NINJS_SCHEMA


class Error(Schema):
    detail: str = Field(examples=["This cursor is not one this API gave out."])


class InvalidInput(Schema):
    detail: list[dict[str, Any]]


class Text(Schema):
    role: str
    contenttype: str = "text/plain"
    value: str


class AltId(Schema):
    role: str
    value: str


class Body(Schema):
    role: str = "main"
    contenttype: str = "text/html"
    charcount: int
    wordcount: int
    value: str


class Concept(Schema):
    """A ninjs subject or person: what the story is filed under or who made it."""

    name: str
    rel: str
    uri: str
    literal: str


class Rendition(Schema):
    name: str
    href: str
    contenttype: str
    width: int
    height: int


class Standard(Schema):
    name: str = "ninjs"
    version: str = "2.1"
    schema_: str = Field(NINJS_SCHEMA, alias="schema")


class Picture(Schema):
    """A public photo the story shows readers, as a ninjs association."""

    name: str = Field(
        "featureimage",
        description="featureimage (the lead photo), leadgallery (a photo of the lead gallery), "
        "inline (a photo in the body) or gallery (a photo of a gallery in the body).",
    )
    uri: str
    type: str = "picture"
    altids: list[AltId] = Field(
        description='The photo\'s number in the library (role "newsroom-photo"): the body refers to '
        'it as <figure data-photo-id="12">.'
    )
    descriptions: list[Text]
    by: str
    copyrightnotice: str
    creditline: str = Field(description="Extension: the credit line readers see, e.g. Jane Doe / Agency.")
    renditions: list[Rendition]


class CorrectionOut(Schema):
    id: int
    kind: str = Field(description="correction, update or editors_note")
    label: str = Field(description="As readers see it, e.g. Correction")
    text: str
    created_at: datetime


class Story(Schema):
    """A published story in IPTC ninjs 2.1, with this newsroom's extension fields at the end."""

    uri: str
    standard: Standard
    type: str = "text"
    representationtype: str = "full"
    version: str
    firstcreated: datetime
    versioncreated: datetime = Field(
        description="When readers last saw a change: publication, a significant update or a correction."
    )
    pubstatus: str = "usable"
    language: str
    headlines: list[Text]
    descriptions: list[Text]
    bodies: list[Body]
    by: str
    located: str
    people: list[Concept]
    subjects: list[Concept]
    altids: list[AltId]
    associations: list[Picture]
    id: int = Field(description="Extension: the story's id in this API.")
    url: str = Field(description="Extension: the story's public page.")
    corrections: list[CorrectionOut] = Field(description="Extension: corrections and updates, oldest first.")


class StoryRef(Schema):
    id: int
    uri: str
    headline: str
    url: str


class CorrectionEntry(CorrectionOut):
    story: StoryRef


class SectionOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    url: str


class ContributorOut(Schema):
    id: int
    name: str
    slug: str
    kind: str = Field(description="person or organisation")
    job_title: str
    bio: str
    url: str


class TagOut(Schema):
    id: int
    name: str
    slug: str
    url: str


class Page(Schema):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    next: str | None = Field(description="The next page's full URL; null on the last page.")


class StoryPage(Page):
    items: list[Story]


class CorrectionPage(Page):
    items: list[CorrectionEntry]


class ContributorPage(Page):
    items: list[ContributorOut]


class TagPage(Page):
    items: list[TagOut]


class SectionList(Schema):
    items: list[SectionOut]
