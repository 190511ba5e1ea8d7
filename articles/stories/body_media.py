"""Library photos and galleries in story bodies.

The body stores only references, `<figure data-photo-id="12"></figure>` and
`<figure data-gallery-id="3"></figure>` (the sanitiser keeps exactly these attributes), so
readers always get the photo's current caption, credit and renditions, and a photo whose usage
rights have run out disappears from every body at once. Text in a photo's `<figcaption>` is this
story's caption for it, as the lead photo's caption override is.

The references of a body are collected once and fetched together: at most four queries
(galleries, their photos, the photos, their renditions) however many a body holds, and
`attach_media` does the same for a whole list of stories (a feed, a sitemap, the API).
A story's lead gallery (Article.lead_gallery) is fetched with its body's media.

`story_photos(article)` is the one list of what a story shows readers: the lead photo, the
lead gallery, the inline photos, the body's galleries, without rights-expired ones. Feeds,
JSON-LD, the API and the news sitemap all use it.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from ..models import Gallery, GalleryPhoto, Photo

FIGURE = re.compile(r'<figure data-(photo|gallery)-id="(\d+)">(.*?)</figure>', re.DOTALL)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


@dataclass
class BodyMedia:
    photos: dict = field(default_factory=dict)
    galleries: dict = field(default_factory=dict)
    lead_gallery: Gallery | None = None
    captions: dict = field(default_factory=dict)  # photo id: this story's caption (HTML)

    def all_photos(self):
        """Every public photo the lead gallery and the body show (lead gallery, inline photos in
        order, then the body's galleries), each once. With the lead photo: `story_photos`."""
        shown = [item.photo for item in public_items(self.lead_gallery)]
        shown += [photo for photo in self.photos.values() if photo.is_public]
        for gallery in self.galleries.values():
            shown += [item.photo for item in public_items(gallery)]
        return list({photo.pk: photo for photo in shown}.values())

    def photo_ids(self):
        """Every photo referred to, public or not (a page showing them is purged when one changes)."""
        galleries = [*self.galleries.values(), *filter(None, [self.lead_gallery])]
        return {*self.photos, *(item.photo_id for gallery in galleries for item in gallery.items.all())}

    def gallery_ids(self):
        return sorted({*self.galleries, *([self.lead_gallery.pk] if self.lead_gallery else [])})


def public_items(gallery):
    """The gallery's items readers may see (rights not expired), in order; [] for no gallery."""
    if gallery is None:
        return []
    return [item for item in gallery.items.all() if item.photo.is_public]


def story_photos(article):
    """Every photo the story shows readers, lead photo first, each once."""
    return [photo for _role, photo, _caption in labelled_photos(article)]


def labelled_photos(article):
    """(role, photo, caption) for every photo the story shows readers, each once, in the order
    readers meet them: "featureimage" (the lead photo, with this story's caption), "leadgallery",
    "inline" (in the body) and "gallery" (a gallery in the body). Rights-expired photos are left
    out. Lists of stories call `attach_media` first; a story on its own is fetched here."""
    if not hasattr(article, "media"):
        attach_media([article])
    media = article.media
    found = []
    if lead := article.public_lead_photo:
        found.append(("featureimage", lead, article.lead_caption))
    found += [("leadgallery", item.photo, item.shown_caption) for item in public_items(media.lead_gallery)]
    found += [
        ("inline", photo, strip_tags(media.captions.get(pk, "")) or photo.caption)
        for pk, photo in media.photos.items()
        if photo.is_public
    ]
    for gallery in media.galleries.values():
        found += [("gallery", item.photo, item.shown_caption) for item in public_items(gallery)]
    seen = set()
    return [entry for entry in found if not (entry[1].pk in seen or seen.add(entry[1].pk))]


def references(body):
    """(photo ids, gallery ids) the body refers to, in order of appearance."""
    photos, galleries = [], []
    for kind, pk, _inner in FIGURE.findall(body or ""):
        (photos if kind == "photo" else galleries).append(int(pk))
    return photos, galleries


def _fetch(photo_ids, gallery_ids):
    galleries, photos = {}, {}
    if gallery_ids:
        items = GalleryPhoto.objects.select_related("photo").prefetch_related("photo__renditions")
        fetched = Gallery.objects.filter(pk__in=gallery_ids).prefetch_related(Prefetch("items", items))
        galleries = {gallery.pk: gallery for gallery in fetched}
    if photo_ids:
        fetched = Photo.objects.filter(pk__in=photo_ids).prefetch_related("renditions")
        photos = {photo.pk: photo for photo in fetched}
    return photos, galleries


def load_body_media(body, *, lead_gallery_id=None):
    photo_ids, gallery_ids = references(body)
    photos, galleries = _fetch(photo_ids, [*gallery_ids, *filter(None, [lead_gallery_id])])
    return _media(body, lead_gallery_id, photos, galleries)


def attach_media(articles):
    """Set `article.media` (its BodyMedia) on every story, in at most four queries for all."""
    articles = list(articles)
    found = [references(article.body) for article in articles]
    photo_ids = {pk for photos, _galleries in found for pk in photos}
    gallery_ids = {pk for _photos, galleries in found for pk in galleries}
    gallery_ids |= {article.lead_gallery_id for article in articles if article.lead_gallery_id}
    photos, galleries = _fetch(photo_ids, gallery_ids)
    for article in articles:
        article.media = _media(article.body, article.lead_gallery_id, photos, galleries)
    return articles


def _media(body, lead_gallery_id, photos, galleries):
    """One story's BodyMedia out of what was fetched for it (and maybe other stories)."""
    photo_ids, gallery_ids = references(body)
    captions = {}
    for kind, pk, inner in FIGURE.findall(body or ""):
        if kind == "photo" and (override := CAPTION.search(inner)) and override.group(1).strip():
            captions[int(pk)] = override.group(1).strip()
    return BodyMedia(
        photos={pk: photos[pk] for pk in photo_ids if pk in photos},
        galleries={pk: galleries[pk] for pk in gallery_ids if pk in galleries},
        lead_gallery=galleries.get(lead_gallery_id),
        captions=captions,
    )


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
        return render_gallery(media.galleries.get(pk))

    return mark_safe(FIGURE.sub(expand, body or ""))


def render_gallery(gallery, *, lead=False):
    """A gallery as readers see it (a list of figures the viewer enhances); "" when none of its
    photos may be shown."""
    items = public_items(gallery)
    if not items:
        return ""
    return render_to_string("includes/_body_gallery.html", {"gallery": gallery, "items": items, "lead": lead})
