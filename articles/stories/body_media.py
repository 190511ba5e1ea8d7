"""Library photos and galleries in story bodies.

The body stores only references, `<figure data-photo-id="12"></figure>` and
`<figure data-gallery-id="3"></figure>` (the sanitiser keeps exactly these attributes), so
readers always get the photo's current caption, credit and renditions, and a photo whose usage
rights have run out disappears from every body at once. Text in a photo's `<figcaption>` is this
story's caption for it, as the lead photo's caption override is.

The references of a body are collected once and fetched together: at most four queries
(galleries, their photos, the photos, their renditions) however many a body holds.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..models import Gallery, GalleryPhoto, Photo

FIGURE = re.compile(r'<figure data-(photo|gallery)-id="(\d+)">(.*?)</figure>', re.DOTALL)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


@dataclass
class BodyMedia:
    photos: dict = field(default_factory=dict)
    galleries: dict = field(default_factory=dict)

    def all_photos(self):
        """Every public photo the body shows, inline then galleries, for feeds and metadata."""
        shown = [photo for photo in self.photos.values() if photo.is_public]
        for gallery in self.galleries.values():
            shown += [item.photo for item in gallery.items.all() if item.photo.is_public]
        return list({photo.pk: photo for photo in shown}.values())


def references(body):
    """(photo ids, gallery ids) the body refers to, in order of appearance."""
    photos, galleries = [], []
    for kind, pk, _inner in FIGURE.findall(body or ""):
        (photos if kind == "photo" else galleries).append(int(pk))
    return photos, galleries


def load_body_media(body):
    photo_ids, gallery_ids = references(body)
    media = BodyMedia()
    if gallery_ids:
        items = GalleryPhoto.objects.select_related("photo").prefetch_related("photo__renditions")
        galleries = Gallery.objects.filter(pk__in=gallery_ids).prefetch_related(Prefetch("items", items))
        media.galleries = {gallery.pk: gallery for gallery in galleries}
    if photo_ids:
        photos = Photo.objects.filter(pk__in=photo_ids).prefetch_related("renditions")
        media.photos = {photo.pk: photo for photo in photos}
    return media


def expand_body_media(body, media=None):
    """The body with each reference replaced by its figure or gallery; missing or rights-expired
    photos, and galleries left with none, render as nothing."""
    media = media or load_body_media(body)

    def expand(match):
        kind, pk, inner = match.group(1), int(match.group(2)), match.group(3)
        if kind == "photo":
            photo = media.photos.get(pk)
            if photo is None or not photo.is_public:
                return ""
            override = CAPTION.search(inner)
            caption = mark_safe(override.group(1).strip()) if override else ""
            return render_to_string(
                "includes/_body_photo.html", {"photo": photo, "caption": caption or photo.caption}
            )
        gallery = media.galleries.get(pk)
        items = [item for item in gallery.items.all() if item.photo.is_public] if gallery else []
        if not items:
            return ""
        return render_to_string("includes/_body_gallery.html", {"gallery": gallery, "items": items})

    return mark_safe(FIGURE.sub(expand, body or ""))
