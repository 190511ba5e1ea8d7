"""The one photo pipeline: the photo desk, the admin, the demo loader and the wire importer use it."""

import os
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from ..models import Photo, Rendition
from . import images

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


def inspect_upload(file, filename=None):
    """Validate an upload and read its metadata; raise ImageRejected or DuplicatePhoto."""
    inspected = images.inspect_image(file, filename or getattr(file, "name", "") or "upload")
    file.seek(0)
    if existing := Photo.objects.filter(sha256=inspected.sha256).first():
        raise DuplicatePhoto(existing)
    return inspected


def create_photo(*, file, uploaded_by=None, filename=None, **fields):
    """Store an uploaded image as a library photo with its public renditions.

    Fields the user filled in win; empty ones are filled from the file's
    IPTC/XMP/EXIF metadata, and a missing credit is composed from the
    photographer and the agency. Nothing is left behind if any step fails.
    """
    inspected = inspect_upload(file, filename)
    metadata = inspected.metadata
    values = {name: (fields.pop(name, "") or "").strip() for name in PHOTO_TEXT_FIELDS}
    for name in PHOTO_TEXT_FIELDS:
        if not values[name]:
            values[name] = getattr(metadata, name, "") or ""
    if not values["credit"]:
        values["credit"] = images.compose_credit(values["photographer"], values["source"])
    photo = Photo(
        sha256=inspected.sha256,
        uploaded_by=uploaded_by,
        taken_at=fields.pop("taken_at", None) or metadata.taken_at,
        **values,
        **fields,
    )
    master, extension, _width, _height = images.encode_master(file)
    file.seek(0)
    original_extension = os.path.splitext(filename or getattr(file, "name", "") or "")[1].lower()
    stored = []
    try:
        with transaction.atomic():
            # Names come from the content hash, never from what the user called the file.
            photo.original.save(f"{inspected.sha256}{original_extension}", file, save=False)
            stored.append(photo.original)
            photo.image.save(f"{inspected.sha256}.{extension}", ContentFile(master), save=False)
            stored.append(photo.image)
            photo.save()
            stored.extend(make_renditions(photo))
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    return photo


SQUARE_WIDTHS = (160, 480)


def rendition_plan(photo):
    """(width, square) pairs for a photo: listed widths below its own, plus its own, capped."""
    widths = [width for width in images.RENDITION_WIDTHS if width < photo.width]
    widths.append(min(photo.width, images.RENDITION_WIDTHS[-1]))
    side = min(photo.width, photo.height)
    squares = sorted({min(width, side) for width in SQUARE_WIDTHS})
    return [(width, False) for width in widths] + [(width, True) for width in squares]


def make_renditions(photo, *, force=False):
    """Make the missing renditions of `photo` (all of them with `force`); return the files written."""
    if force:
        for rendition in photo.renditions.all():
            rendition.file.storage.delete(rendition.file.name)
        photo.renditions.all().delete()
    existing = set(photo.renditions.values_list("width", "format", "square"))
    focal_point = None
    if photo.focal_x is not None and photo.focal_y is not None:
        focal_point = (photo.focal_x, photo.focal_y)
    written = []
    for width, square in rendition_plan(photo):
        for fmt in Rendition.Format.values:
            if (width, fmt, square) in existing:
                continue
            with photo.image.open("rb") as source:
                data, out_width, out_height = images.make_rendition(
                    source, width=width, format=fmt, square=square, focal_point=focal_point
                )
            rendition = Rendition(photo=photo, format=fmt, square=square, width=out_width, height=out_height)
            extension = "jpg" if fmt == Rendition.Format.JPEG else fmt
            suffix = "-sq" if square else ""
            rendition.file.save(
                f"{photo.sha256}-{out_width}{suffix}.{extension}", ContentFile(data), save=False
            )
            written.append(rendition.file)
            rendition.save()
    return written
