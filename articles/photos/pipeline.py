"""The one photo pipeline: the photo desk, the admin, the demo loader and the wire importer use it."""

import io
import os
from contextlib import suppress
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..caching.purge import purge_photo_change
from ..models import Article, Photo, Rendition
from ..queue import enqueue_on_commit
from . import checks, imaging
from .credits import compose_credit
from .similar import perceptual_hash
from .storage import STORAGE_ERRORS
from .uploads import sha256_of

PHOTO_TEXT_FIELDS = [
    "title",
    "caption",
    "credit",
    "photographer",
    "source",
    "alt_text",
    "copyright_notice",
]


@dataclass
class DuplicatePhoto(Exception):
    """The same file (by SHA-256) is already in the library."""

    existing: Photo

    def __str__(self):
        return f"This file is already in the library as photo {self.existing.pk} ({self.existing})."


def _aware(moment):
    """Cameras record local time without a zone; read it in the newsroom's zone."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


class _Written(list):
    """Files written so far, as (storage, name), so that a failure can take them all back."""

    def save(self, field_file, name, content):
        storage = field_file.storage
        target = storage.get_available_name(
            field_file.field.generate_filename(field_file.instance, name),
            max_length=field_file.field.max_length,
        )
        # Noted before writing: a write that fails half-way (disk full) leaves part of a file.
        self.append((storage, target))
        field_file.save(name, content, save=False)
        if field_file.name != target:
            self.append((storage, field_file.name))

    def delete_all(self):
        for storage, name in self:
            with suppress(*STORAGE_ERRORS):
                storage.delete(name)
        self.clear()


def inspect_upload(file, filename=None):
    """Check an upload from its header; raise ImageRejected or DuplicatePhoto.

    No pixel is decoded (the task worker proves the file whole), and the SHA-256 comes from
    the upload handler when the file came in through a request (uploads.py).
    """
    inspected = checks.inspect_image(file, _name_of(file, filename), sha256=sha256_of(file))
    file.seek(0)
    if existing := Photo.objects.filter(sha256=inspected.sha256).first():
        raise DuplicatePhoto(existing)
    return inspected


def _name_of(file, filename):
    return checks.display_name(filename or getattr(file, "name", "") or "upload")


def _blanks_filled(values, metadata, *, is_file_photo):
    """`values` (text fields by name) with the blank ones taken from the file's metadata, and a
    credit built from the photographer and the agency if there is still none."""
    values = dict(values)
    for name in PHOTO_TEXT_FIELDS:
        if not values.get(name):
            values[name] = getattr(metadata, name, "") or ""
    if not values["credit"]:
        values["credit"] = compose_credit(values["photographer"], values["source"], is_file_photo)
    return values


def create_photo(*, file, uploaded_by=None, filename=None, **fields):
    """Store an uploaded image as a library photo and queue the making of its public files.

    Fields the user filled in win; empty ones are filled from the file's
    IPTC/XMP/EXIF metadata, and a missing credit is composed from the
    photographer and the agency. The request only checks the file from its
    header, stores the original and saves the row, so it answers about as fast
    as the file is saved; the task worker then decodes the file whole, writes
    the master and the renditions (`process_photo`) and the photo turns ready,
    or, for a damaged file, failed. A file refused here leaves no row and no
    file, the original included.
    """
    # The task module imports this one: import it when first needed.
    from .tasks import make_photo_files

    inspected = inspect_upload(file, filename)
    metadata = inspected.metadata
    typed = {name: (fields.pop(name, "") or "").strip() for name in PHOTO_TEXT_FIELDS}
    values = _blanks_filled(typed, metadata, is_file_photo=fields.get("is_file_photo", False))
    # The size the master will have, so the desk can show it while the worker makes it.
    width, height = imaging.master_size(inspected.width, inspected.height)
    name = _name_of(file, filename)
    photo = Photo(
        sha256=inspected.sha256,
        uploaded_by=uploaded_by,
        original_filename=name[: Photo._meta.get_field("original_filename").max_length],
        taken_at=_aware(fields.pop("taken_at", None) or metadata.taken_at),
        width=width,
        height=height,
        status=Photo.Status.PROCESSING,
        **values,
        **fields,
    )
    original_extension = os.path.splitext(name)[1].lower()
    written = _Written()
    try:
        with transaction.atomic():
            # Names come from the content hash, never from what the user called the file. A
            # temporary upload file is moved into place by FileSystemStorage, not copied.
            written.save(photo.original, f"{inspected.sha256}{original_extension}", file)
            photo.save()
            enqueue_on_commit(make_photo_files, photo.pk)
    except IntegrityError:
        written.delete_all()
        # The same file uploaded twice at once: the other upload won the race.
        if existing := Photo.objects.filter(sha256=inspected.sha256).first():
            raise DuplicatePhoto(existing) from None
        raise
    except BaseException:
        written.delete_all()
        raise
    # With the immediate task backend (TASKS_BACKEND) the photo may be finished already.
    photo.refresh_from_db()
    return photo


def rendition_plan(photo):
    """(width, square) pairs for a photo, each once: the listed widths, none wider than the photo."""
    sizes = imaging.rendition_sizes(photo.width, photo.height)
    return [(width, square) for width, square, _size in sizes]


def _focal_point(photo):
    if photo.focal_x is None or photo.focal_y is None:
        return None
    return (photo.focal_x, photo.focal_y)


def _save_renditions(photo, renditions, *, written):
    """Write the files of `renditions` ({(width, square, format): Encoded}); unsaved rows back."""
    new = []
    for (_width, square, fmt), encoded in renditions.items():
        rendition = Rendition(
            photo=photo, format=fmt, square=square, width=encoded.width, height=encoded.height
        )
        suffix = "-sq" if square else ""
        name = f"{photo.sha256}-{encoded.width}{suffix}.{encoded.extension}"
        written.save(rendition.file, name, ContentFile(encoded.data))
        new.append(rendition)
    return new


def _late_fields(current, late):
    """Fields of `current` still blank that the whole-file read (`late`) can fill; set them."""
    if not any(vars(late).values()):
        return []
    typed = {name: getattr(current, name) for name in PHOTO_TEXT_FIELDS}
    values = _blanks_filled(typed, late, is_file_photo=current.is_file_photo)
    changed = [name for name in PHOTO_TEXT_FIELDS if values[name] != typed[name]]
    for name in changed:
        setattr(current, name, values[name])
    if current.taken_at is None and late.taken_at is not None:
        current.taken_at = _aware(late.taken_at)
        changed.append("taken_at")
    return changed


def process_photo(*, photo):
    """Prove a processing photo's file whole, write its master and every rendition, mark it ready.

    The upload request checked only the file's header: a damaged or truncated file is found
    here, and ImageRejected (a sentence for the uploader) is raised for the task to mark the
    photo failed. The near-duplicate fingerprint and metadata found only after the pixels
    (a PNG's EXIF) are taken here too.

    Files are written first and the rows saved after, in one transaction: until then the
    photo is not public and nothing points at a half-written file. If any step fails the
    files written are removed and the photo stays as it was, for the task to retry.
    """
    focal_point = _focal_point(photo)
    written = _Written()
    try:
        with photo.original.open("rb") as original:
            late = checks.check_whole(original, photo.original_filename or None)
            dhash = perceptual_hash(original)
            original.seek(0)
            processed = imaging.process_upload(original, focal_point=focal_point)
        master = processed.master
        written.save(photo.image, f"{photo.sha256}.{master.extension}", ContentFile(master.data))
        new = _save_renditions(photo, processed.renditions, written=written)
        with transaction.atomic():
            current = Photo.objects.select_for_update().filter(pk=photo.pk).first()
            if current is None or current.status == Photo.Status.READY:
                # Deleted meanwhile, or finished by another run: this run's files are not needed.
                written.delete_all()
                return current
            Rendition.objects.filter(photo=photo).delete()
            Rendition.objects.bulk_create(new)
            # Only the pipeline's own fields, and blanks: staff may have captioned it meanwhile.
            filled = _late_fields(current, late)
            for name in filled:
                setattr(photo, name, getattr(current, name))
            photo.width, photo.height = master.width, master.height
            photo.dhash = dhash
            photo.status, photo.processing_error = Photo.Status.READY, ""
            photo.save(
                update_fields=["image", "width", "height", "dhash", "status", "processing_error", *filled]
            )
            photo_now_shown(photo)
    except BaseException:
        written.delete_all()
        raise
    if _focal_point(current) != focal_point:
        # The focal point moved while the renditions were being made: recrop the squares.
        photo.focal_x, photo.focal_y = current.focal_x, current.focal_y
        make_renditions(photo, force=True, square_only=True)
    return photo


def photo_now_shown(photo):
    """A photo turned ready: pages of the stories it leads were rendered without it. Their
    rendered-page cache entries (keyed by `updated_at`) and the caches in front must go."""
    Article.objects.filter(lead_photo=photo).update(updated_at=timezone.now())
    purge_photo_change(photo=photo)


def record_failure(*, photo, error, attempts, final):
    """Note a failed attempt on the photo for staff; `final` marks it failed for good."""
    message = str(error) if isinstance(error, checks.ImageRejected) else f"{type(error).__name__}: {error}"
    Photo.objects.filter(pk=photo.pk).exclude(status=Photo.Status.READY).update(
        processing_attempts=attempts,
        processing_error=message[:2000],
        status=Photo.Status.FAILED if final else Photo.Status.PROCESSING,
    )


def _wanted(photo, *, replace, square_only):
    """The renditions `photo` lacks (or is replacing), as (width, square, format)."""
    # Straight from the database: a prefetch on `photo` may hold only some of its renditions.
    have = set(Rendition.objects.filter(photo=photo).values_list("width", "square", "format"))
    have -= {(r.width, r.square, r.format) for r in replace}
    return {
        (width, square, fmt)
        for width, square in rendition_plan(photo)
        for fmt in Rendition.Format.values
        if (width, square, fmt) not in have and (square or not square_only)
    }


def make_renditions(photo, *, force=False, square_only=False):
    """Make the renditions `photo` is missing; return the files written.

    Renditions are made once and reused. With `force` the existing ones (only the square
    crops with `square_only`) are remade: the new files are written first and the old ones
    deleted only once the new rows are saved, so a failure leaves the old set in place.
    """
    replace = []
    if force:
        replace = list(Rendition.objects.filter(photo=photo))
        replace = [r for r in replace if r.square or not square_only]
    wanted = _wanted(photo, replace=replace, square_only=square_only)
    if not wanted:
        return []
    written = _Written()
    try:
        with photo.image.open("rb") as source:
            renditions = imaging.process_upload(
                io.BytesIO(source.read()), focal_point=_focal_point(photo), with_master=False, wanted=wanted
            ).renditions
        new = _save_renditions(photo, renditions, written=written)
        with transaction.atomic():
            Rendition.objects.filter(pk__in=[r.pk for r in replace]).delete()
            for rendition in new:
                rendition.save()
    except BaseException:
        written.delete_all()
        raise
    for rendition in replace:
        with suppress(*STORAGE_ERRORS):
            rendition.file.storage.delete(rendition.file.name)
    return [rendition.file for rendition in new]


def update_photo(*, photo, changed_fields):
    """Save edits to a photo's details; a moved focal point recrops the square renditions."""
    editable = {field.name for field in Photo._meta.concrete_fields if field.editable}
    changed_fields = set(changed_fields)
    if changed_fields & {"photographer", "source", "is_file_photo"}:
        changed_fields.add("credit")  # a built credit follows its parts (credits.credit_for_readers)
    # Only what was edited: the task worker may have finished the photo since the form loaded.
    if fields := sorted(name for name in changed_fields if name in editable):
        photo.save(update_fields=fields)
    if {"focal_x", "focal_y"} & set(changed_fields) and photo.is_ready:
        # A photo still processing gets the new focal point from its task.
        make_renditions(photo, force=True, square_only=True)
    if changed_fields:
        purge_photo_change(photo=photo)
    return photo
