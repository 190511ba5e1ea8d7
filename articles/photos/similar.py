"""Near-duplicate photos: a perceptual hash (dHash) of each photo, and the library photos close to it.

A dHash compares the brightness of neighbouring pixels on a 9 × 8 grey thumbnail, so a copy
that was re-encoded, resized, lightly cropped or changed by a byte hashes the same or within
a few bits, while a different picture differs in about half of its 64 bits.
"""

import io

import imagehash
from PIL import Image, ImageOps

from ..models import Photo

# Bits out of 64. Copies of one picture land at 0–4; different pictures rarely below 15.
NEAR_DUPLICATE_DISTANCE = 6


def perceptual_hash(data):
    """The 64-bit dHash of an image (bytes or an open file), upright, as 16 hex digits."""
    source = data if hasattr(data, "read") else io.BytesIO(data)
    with Image.open(source) as image:
        # A JPEG decoded at an eighth of its size is plenty for a 9 × 8 thumbnail, and fast.
        image.draft("L", (64, 64))
        small = ImageOps.exif_transpose(image.convert("L") if image.mode != "L" else image)
        return str(imagehash.dhash(small))


def distance(first, second):
    return (int(first, 16) ^ int(second, 16)).bit_count()


def near_duplicates(photos, *, max_distance=NEAR_DUPLICATE_DISTANCE):
    """{photo pk: other library photos within `max_distance` bits of it, closest first}.

    Hamming distance has no database index, so the hashes are compared here: 16 characters a
    photo, read in one query, a few milliseconds for tens of thousands. Two queries in all,
    however many `photos`.
    """
    photos = [photo for photo in photos if photo.dhash]
    close = {photo.pk: [] for photo in photos}
    if not photos:
        return close
    for pk, dhash in Photo.objects.exclude(dhash="").values_list("pk", "dhash").iterator():
        for photo in photos:
            if pk != photo.pk and (d := distance(photo.dhash, dhash)) <= max_distance:
                close[photo.pk].append((d, pk))
    found = Photo.objects.with_thumbnails().in_bulk({pk for pairs in close.values() for _, pk in pairs})
    return {key: [found[pk] for _, pk in sorted(pairs) if pk in found] for key, pairs in close.items()}


def hash_missing(photos):
    """Compute the dHash of `photos` that have none (photos stored before hashes were kept).

    Returns how many were hashed; a photo whose master file is missing or unreadable is skipped.
    """
    done = 0
    for photo in photos.filter(dhash="").only("pk", "image").iterator():
        try:
            with photo.image.open("rb") as master:
                dhash = perceptual_hash(master.read())
        except (OSError, ValueError, SyntaxError):
            continue
        Photo.objects.filter(pk=photo.pk).update(dhash=dhash)
        done += 1
    return done
