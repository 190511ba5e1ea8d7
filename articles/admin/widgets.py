"""Fields and widgets of the editors' desk: the publish time, the lead-photo picker, thumbnails."""

import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.html import format_html

from ..models import Photo
from ..stories.body_media import load_body_media


def photo_thumbnail(photo, *, width=64, square=False):
    """A thumbnail `width` CSS pixels wide from the photo's renditions, never its full-size
    master; the rendition chosen is at least twice as wide, for sharp screens."""
    if photo is None:
        return ""
    if not photo.is_ready:
        # The task worker has not written the files yet (or could not).
        status = photo.get_status_display()
        return format_html('<span class="newsroom-thumb newsroom-processing">{}</span>', status)
    chosen = photo.rendition(width * 2, square=square)
    if chosen is None:
        return format_html('<span class="newsroom-thumb newsroom-processing">Processing</span>')
    height = width if square else round(width * chosen.height / chosen.width)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="newsroom-thumb">', chosen.file.url, width, height
    )


class PublishAtField(forms.SplitDateTimeField):
    """The publish time, with messages that name the box at fault."""

    default_error_messages = {
        "invalid_date": "Enter a valid date, e.g. 2026-11-29.",
        "invalid_time": "Enter a valid time, e.g. 14:30.",
    }

    def compress(self, data_list):
        if data_list:
            date, time = data_list
            if date in self.empty_values and time not in self.empty_values:
                raise forms.ValidationError("Enter the date as well as the time, e.g. 2026-11-29.")
            if time in self.empty_values and date not in self.empty_values:
                raise forms.ValidationError("Enter the time as well as the date, e.g. 14:30.")
        return super().compress(data_list)


class PhotoPickerWidget(AutocompleteSelect):
    """The lead-photo autocomplete: every option shows a thumbnail and the credit.

    photo-picker.js comes after Django's autocomplete.js and takes over setting up the
    fields marked `data-photo-picker`, so there is no race with Django's own set-up.
    """

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-photo-picker": ""}

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = [option for option in groups[0][1] if option["value"] not in ("", None)]
        photos = Photo.objects.prefetch_related("renditions").in_bulk([o["value"] for o in options])
        for option in options:
            if photo := photos.get(option["value"]):
                option["attrs"].update(photo_picker_data(photo))
        return groups

    @property
    def media(self):
        # One list, so that merging with other media keeps photo-picker.js after autocomplete.js.
        media = super().media
        return forms.Media(js=[*media._js, "articles/admin/photo-picker.js"], css=media._css)


def photo_picker_data(photo):
    """What the photo picker shows beside a photo's caption: a small square and its credit."""
    thumbnail = photo.rendition(160, square=True)
    return {
        "data-thumbnail": thumbnail.file.url if thumbnail else "",
        "data-credit": photo.credit,
    }


def gallery_picker_data(gallery):
    """What the gallery picker shows: the first photo's square, the title and the photo count.
    Needs the gallery's items with their photos' renditions prefetched."""
    items = list(gallery.items.all())
    thumbnail = items[0].photo.rendition(160, square=True) if items else None
    return {
        "thumbnail": thumbnail.file.url if thumbnail else "",
        "text": f"{gallery.title} ({len(items)} photo{'s' if len(items) != 1 else ''})",
        "credit": "",
    }


def body_media_attribute(body):
    """The story form's summary of the photos and galleries the body refers to, for the body
    editor to show them with a thumbnail (static/articles/admin/body-media.js): four queries
    at most, however many the body holds."""
    media = load_body_media(body)
    summary = {"photo": {}, "gallery": {}}
    for pk, photo in media.photos.items():
        data = photo_picker_data(photo)
        summary["photo"][pk] = {
            "thumbnail": data["data-thumbnail"],
            "text": str(photo),
            "credit": photo.credit,
        }
    for pk, gallery in media.galleries.items():
        summary["gallery"][pk] = gallery_picker_data(gallery)
    return json.dumps(summary)
