"""The admin site: Django's, with an editors' desk index and photo thumbnails when picking photos."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from ..security.two_factor import SecondFactorAdminSiteMixin


class PhotoPickerAutocompleteView(AutocompleteJsonView):
    """Autocomplete results for photos and galleries carry a thumbnail (and a photo its credit),
    so editors see what they pick."""

    def serialize_result(self, obj, to_field_name):
        from ..models import Gallery, Photo
        from .widgets import gallery_picker_data

        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Gallery):
            # GalleryAdmin's queryset prefetches the items' photos and squares.
            return {**result, **gallery_picker_data(obj)}
        if isinstance(obj, Photo):
            # PhotoAdmin's queryset prefetches the square renditions: no query per result.
            thumbnail = obj.rendition(160, square=True)
            result["thumbnail"] = thumbnail.file.url if thumbnail else ""
            result["credit"] = obj.credit
        return result


class NewsroomAdminSite(SecondFactorAdminSiteMixin, admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Editors' desk"
    index_template = "admin/newsroom_index.html"

    def autocomplete_view(self, request):
        return PhotoPickerAutocompleteView.as_view(admin_site=self)(request)
