"""Bringing parsed wire stories into the newsroom, through the same models and photo pipeline."""

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from ..models import Article, Byline, Contributor, Gallery, GalleryPhoto, Section
from ..photos import checks
from ..photos.pipeline import DuplicatePhoto, create_photo
from ..photos.storage import STORAGE_ERRORS
from ..stories import workflow
from ..stories.revisions import COMPARED_FIELDS
from .common import WireError
from .filing import FilingRules, file_story
from .sources import iter_wire_sources

WIRE_REVISION = "Imported from wire"
GALLERY_FIGURE = re.compile(r'<figure data-gallery-id="\d+"></figure>')


class Outcome:
    IMPORTED = "imported"
    UPDATED = "updated"
    KEPT_LOCAL_EDITS = "kept local edits"
    FAILED = "failed"


@dataclass
class ImportResult:
    label: str
    outcome: str
    article: Article | None = None
    message: str = ""


@dataclass
class ImportSummary:
    results: list[ImportResult] = field(default_factory=list)

    def count(self, outcome):
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failed(self):
        return self.count(Outcome.FAILED)

    def __str__(self):
        return (
            f"{self.count(Outcome.IMPORTED)} imported, {self.count(Outcome.UPDATED)} updated, "
            f"{self.count(Outcome.KEPT_LOCAL_EDITS)} kept local edits, {self.failed} failed"
        )


def default_section():
    section = Section.objects.first()
    if section is None:
        raise WireError("There is no section to file wire stories in: add one first.")
    return section


def import_wire(path, *, by=None, publish=False, section=None, on_source=None):
    """Import every story under `path` (XML file, folder or zip); one bad item never stops the rest.

    New stories are filed by their subjects (see filing.py); `section` is where the others go.
    """
    summary = ImportSummary()
    section = section or default_section()
    rules = FilingRules.load()
    for label, load in iter_wire_sources(Path(path)):
        try:
            stories = load()
        except WireError as error:
            summary.results.append(ImportResult(label, Outcome.FAILED, message=str(error)))
        else:
            for story in stories:
                summary.results.append(
                    import_story(story, by=by, publish=publish, section=section, rules=rules)
                )
        if on_source is not None:
            on_source(label)
    return summary


def import_story(story, *, by=None, publish=False, section, rules=None):
    label = story.headline or story.source_name
    written_files = []
    try:
        with transaction.atomic():
            article = (
                Article.objects.filter(external_id=story.external_id).first() if (story.external_id) else None
            )
            if article is None:
                filing = file_story(story, default=section, rules=rules)
                article = _create(
                    story, by=by, publish=publish, section=filing.section, written_files=written_files
                )
                return ImportResult(label, Outcome.IMPORTED, article, filing.reason)
            if by is not None and not workflow.can_edit(by, article):
                _record_wire_version(article, story, by=by)
                return ImportResult(
                    label,
                    Outcome.KEPT_LOCAL_EDITS,
                    article,
                    "Only an editor can change this story now, so it stays as it is. "
                    "The wire's new version is saved in the story's history for an editor.",
                )
            if _has_local_edits(article):
                _record_wire_version(article, story, by=by)
                return ImportResult(
                    label,
                    Outcome.KEPT_LOCAL_EDITS,
                    article,
                    "Editors changed this story since the last import, so their text stays. "
                    "The wire's new version is saved in the story's history to compare.",
                )
            _update(article, story, by=by, written_files=written_files)
            return ImportResult(label, Outcome.UPDATED, article)
    except (WireError, checks.ImageRejected, ValidationError, *STORAGE_ERRORS) as error:
        for field_file in written_files:
            field_file.storage.delete(field_file.name)
        return ImportResult(label, Outcome.FAILED, message=_message(error, story))


def _message(error, story):
    if isinstance(error, ValidationError):
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return f"{story.source_name}: {problems}"
    return f"{story.source_name}: {error}"


def _apply_text(article, story):
    article.headline = story.headline
    article.dek = story.dek
    article.dateline = story.dateline.upper()  # house style: "LISBON —", whatever the agency sent
    article.body = story.body_html


def _create(story, *, by, publish, section, written_files):
    article = Article(
        section=section,
        external_id=story.external_id,
        embargo_until=story.embargoed_until,
        expires_at=story.expires_at,
    )
    _apply_text(article, story)
    if publish:
        article.status = Article.Status.PUBLISHED
        article.publish_at = min(story.published_at or timezone.now(), timezone.now())
    else:
        article.status = Article.Status.REVIEW
        article.publish_at = story.published_at  # a suggestion for the editor
    _place_photos(article, story, _photos(story, by=by, written_files=written_files), by=by)
    _save_with_revision(article, story, by=by)
    return article


def _update(article, story, *, by, written_files):
    galleries = GALLERY_FIGURE.findall(article.body)
    _apply_text(article, story)
    # A gallery an earlier version of the importer placed at the end of the body stays there.
    article.body += "".join(galleries)
    # The agency may lift or move an embargo, or extend the licence, in a new version.
    article.embargo_until, article.expires_at = story.embargoed_until, story.expires_at
    # An editor's choice of lead photo stands; the wire's photos fill an empty place only.
    if article.lead_photo is None:
        photos = _photos(story, by=by, written_files=written_files)
        _place_photos(article, story, photos, by=by, gallery=article.lead_gallery is None and not galleries)
    # A new version from the agency is news for readers of a live story: it shows as updated.
    _save_with_revision(article, story, by=by, significant_update=True)


def _save_with_revision(article, story, *, by, significant_update=False):
    article.full_clean(exclude=["slug", "tags"])
    with reversion.create_revision():
        workflow.save_article(article=article, by=by, significant_update=significant_update)
        _add_bylines(article, story)
        # Added, never replaced: tags editors gave the story stay.
        article.tags.add(*story.keywords)
        _describe_revision(by, story)


def _record_wire_version(article, story, *, by):
    """Save the wire's text as a revision without touching the story editors changed."""
    wire_version = copy.copy(article)
    _apply_text(wire_version, story)
    with reversion.create_revision(manage_manually=True):
        reversion.add_to_revision(wire_version)
        _describe_revision(by, story)


def _describe_revision(by, story):
    reversion.set_comment(f"{WIRE_REVISION}: {story.source_name} {story.version}".strip())
    if by is not None:
        reversion.set_user(by)


def _has_local_edits(article):
    """Whether the story differs from the text of its last wire import."""
    last_import = (
        Version.objects.get_for_object(article)
        .filter(revision__comment__startswith=WIRE_REVISION)
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    if last_import is None:
        return True
    imported = last_import.field_dict
    return any(imported.get(name) != getattr(article, name) for name, _label in COMPARED_FIELDS)


def _add_bylines(article, story):
    """Add the wire's bylines that are missing; bylines editors added or reordered stay."""
    start = article.bylines.count()
    for position, name in enumerate(story.bylines, start=start):
        contributor = Contributor.objects.filter(name__iexact=name).first()
        if contributor is None:
            contributor = Contributor.objects.create(name=name)
        Byline.objects.get_or_create(
            article=article, contributor=contributor, role=Byline.Role.BY, defaults={"position": position}
        )


def _place_photos(article, story, photos, *, by, gallery=True):
    """The package's first photo leads the story; the others, in its order, become its lead
    gallery (Article.lead_gallery), shown under the lead photo."""
    article.lead_photo = next(iter(photos), None)
    rest = [photo for photo in dict.fromkeys(photos[1:]) if photo != article.lead_photo]
    if gallery and rest:
        article.lead_gallery = Gallery.objects.create(title=story.headline, created_by=by)
        GalleryPhoto.objects.bulk_create(
            GalleryPhoto(gallery=article.lead_gallery, photo=photo, position=position)
            for position, photo in enumerate(rest, start=1)
        )


def _photos(story, *, by, written_files):
    """The story's photos, in the wire's order, each through the photo pipeline (or the library
    photo it duplicates)."""
    photos = []
    for wire_photo in story.photos:
        if wire_photo.path is None:
            raise WireError(f"the photo “{wire_photo.href}” it refers to is missing.")
        with wire_photo.path.open("rb") as handle:
            try:
                photo = create_photo(
                    file=handle,
                    filename=wire_photo.path.name,
                    uploaded_by=by,
                    caption=wire_photo.caption,
                    credit=wire_photo.credit,
                    alt_text=wire_photo.alt_text,
                    photographer=wire_photo.photographer,
                    source=wire_photo.source,
                    is_file_photo=wire_photo.is_file_photo,
                )
                written_files.extend(_files_of(photo))
            except DuplicatePhoto as duplicate:
                photo = duplicate.existing
        photos.append(photo)
    return photos


def _files_of(photo):
    """Every file create_photo wrote for `photo`, read now: if the story fails, its rows roll back.

    The master and renditions are written later by the task worker, once the story commits.
    """
    files = [photo.original, photo.image, *(rendition.file for rendition in photo.renditions.all())]
    return [file for file in files if file]
