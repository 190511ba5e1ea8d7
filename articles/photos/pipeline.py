"""The one photo pipeline: the photo desk, the admin, the demo loader and the wire importer use it."""

import io
import os
from contextlib import suppress
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Photo, Rendition
from . import imaging
from .credits import compose_credit
from .similar import perceptual_hash

PHOTO_TEXT_FIELDS = [
    "title",
    "caption",
    "credit",
    "photographer",
    "source",
    "alt_text",
    "copyright_notice",
]

# Square crops for thumbnails and headshots, at one and three times 160 CSS pixels.
SQUARE_WIDTHS = (160, 480)


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
            with suppress(OSError):
                storage.delete(name)
        self.clear()


def inspect_upload(file, filename=None):
    """Validate an upload and read its metadata; raise ImageRejected or DuplicatePhoto."""
    inspected = imaging.inspect_image(file, filename or getattr(file, "name", "") or "upload")
    file.seek(0)
    if existing := Photo.objects.filter(sha256=inspected.sha256).first():
        raise DuplicatePhoto(existing)
    return inspected


def create_photo(*, file, uploaded_by=None, filename=None, **fields):
    """Store an uploaded image as a library photo with its public renditions.

    Fields the user filled in win; empty ones are filled from the file's
    IPTC/XMP/EXIF metadata, and a missing credit is composed from the
    photographer and the agency. Nothing is left behind if any step fails,
    a full disk included: no row and no file, not even part of one.
    """
    inspected = inspect_upload(file, filename)
    metadata = inspected.metadata
    values = {name: (fields.pop(name, "") or "").strip() for name in PHOTO_TEXT_FIELDS}
    for name in PHOTO_TEXT_FIELDS:
        if not values[name]:
            values[name] = getattr(metadata, name, "") or ""
    if not values["credit"]:
        values["credit"] = compose_credit(
            values["photographer"], values["source"], fields.get("is_file_photo", False)
        )
    photo = Photo(
        sha256=inspected.sha256,
        uploaded_by=uploaded_by,
        taken_at=_aware(fields.pop("taken_at", None) or metadata.taken_at),
        **values,
        **fields,
    )
    master, extension, width, height = imaging.encode_master(file)
    file.seek(0)
    photo.dhash = perceptual_hash(master)
    original_extension = os.path.splitext(filename or getattr(file, "name", "") or "")[1].lower()
    written = _Written()
    try:
        with transaction.atomic():
            # Names come from the content hash, never from what the user called the file.
            written.save(photo.original, f"{inspected.sha256}{original_extension}", file)
            written.save(photo.image, f"{inspected.sha256}.{extension}", ContentFile(master))
            photo.width, photo.height = width, height
            photo.save()
            _make_renditions(photo, master=master, written=written)
    except IntegrityError:
        written.delete_all()
        # The same file uploaded twice at once: the other upload won the race.
        if existing := Photo.objects.filter(sha256=inspected.sha256).first():
            raise DuplicatePhoto(existing) from None
        raise
    except BaseException:
        written.delete_all()
        raise
    return photo


def rendition_plan(photo):
    """(width, square) pairs for a photo, each once: the listed widths, none wider than the photo."""
    widths = sorted({min(width, photo.width) for width in imaging.RENDITION_WIDTHS})
    side = min(photo.width, photo.height)
    squares = sorted({min(width, side) for width in SQUARE_WIDTHS})
    return [(width, False) for width in widths] + [(width, True) for width in squares]


def _focal_point(photo):
    if photo.focal_x is None or photo.focal_y is None:
        return None
    return (photo.focal_x, photo.focal_y)


def _make_renditions(photo, *, master, written, replace=(), square_only=False):
    """Write the renditions `photo` lacks from the `master` bytes and save their rows."""
    # Straight from the database: a prefetch on `photo` may hold only some of its renditions.
    have = set(Rendition.objects.filter(photo=photo).values_list("width", "format", "square"))
    have -= {(r.width, r.format, r.square) for r in replace}
    new = []
    for width, square in rendition_plan(photo):
        if square_only and not square:
            continue
        for fmt in Rendition.Format.values:
            if (width, fmt, square) in have:
                continue
            data, out_width, out_height = imaging.make_rendition(
                io.BytesIO(master), width=width, format=fmt, square=square, focal_point=_focal_point(photo)
            )
            rendition = Rendition(photo=photo, format=fmt, square=square, width=out_width, height=out_height)
            extension = "jpg" if fmt == Rendition.Format.JPEG else fmt
            suffix = "-sq" if square else ""
            written.save(rendition.file, f"{photo.sha256}-{out_width}{suffix}.{extension}", ContentFile(data))
            new.append(rendition)
    with transaction.atomic():
        Rendition.objects.filter(pk__in=[r.pk for r in replace]).delete()
        for rendition in new:
            rendition.save()
    return new


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
    written = _Written()
    with photo.image.open("rb") as source:
        master = source.read()
    try:
        new = _make_renditions(
            photo, master=master, written=written, replace=replace, square_only=square_only
        )
    except BaseException:
        written.delete_all()
        raise
    for rendition in replace:
        with suppress(OSError):
            rendition.file.storage.delete(rendition.file.name)
    return [rendition.file for rendition in new]


def update_photo(*, photo, changed_fields):
    """Save edits to a photo's details; a moved focal point recrops the square renditions."""
    photo.save()
    if {"focal_x", "focal_y"} & set(changed_fields):
        make_renditions(photo, force=True, square_only=True)
    return photo
