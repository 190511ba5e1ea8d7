from django import forms
from django.contrib import admin
from django.utils.html import format_html

from ..models import Photo
from ..photos import checks
from ..photos.forms import PHOTO_EDITABLE_FIELDS, CreditLineMixin
from ..photos.pipeline import DuplicatePhoto, create_photo, inspect_upload, update_photo
from .widgets import photo_thumbnail


class PhotoAdminForm(CreditLineMixin, forms.ModelForm):
    """On add, the upload goes through the photo pipeline; the stored file is never replaced."""

    image = forms.FileField(
        help_text="JPEG, PNG, WebP, GIF or HEIC. Empty fields are filled from the file's IPTC/EXIF data."
    )

    class Meta:
        model = Photo
        fields = [*PHOTO_EDITABLE_FIELDS, "taken_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["image"]

    def clean_image(self):
        upload = self.cleaned_data["image"]
        try:
            inspect_upload(upload)
        except checks.ImageRejected as rejected:
            raise forms.ValidationError(str(rejected)) from rejected
        except DuplicatePhoto as duplicate:
            raise forms.ValidationError(str(duplicate)) from duplicate
        return upload


class RightsListFilter(admin.SimpleListFilter):
    title = "usage rights"
    parameter_name = "rights"

    def lookups(self, request, model_admin):
        return [("expired", "Expired"), ("current", "Current")]

    def queryset(self, request, queryset):
        expired = queryset.rights_expired()
        if self.value() == "expired":
            return expired
        if self.value() == "current":
            return queryset.exclude(pk__in=expired.values("pk"))
        return queryset


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "__str__", "credit", "photographer", "uploaded_at", "rights", "status"]
    list_filter = [RightsListFilter, "status", "source", "uploaded_at", "uploaded_by"]
    list_select_related = ["uploaded_by"]
    search_fields = ["caption", "credit", "photographer", "title", "source"]
    date_hierarchy = "uploaded_at"
    readonly_fields = [
        "preview",
        "processing",
        "width",
        "height",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    fieldsets = [
        (None, {"fields": ["image", "preview", "caption", "alt_text", "credit"]}),
        ("Source", {"fields": ["photographer", "source", "is_file_photo", "title", "taken_at"]}),
        ("Rights", {"fields": ["copyright_notice", "rights_expire_on"]}),
        ("Cropping", {"classes": ["collapse"], "fields": ["focal_x", "focal_y"]}),
        (
            "File",
            {
                "classes": ["collapse"],
                "fields": ["width", "height", "sha256", "uploaded_by", "uploaded_at"],
            },
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/newsroom-admin.css"]}

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["image", "caption", "alt_text", "credit"]}), *self.fieldsets[1:4]]
        fieldsets = [list(fieldset) for fieldset in self.fieldsets]
        fieldsets[0] = (None, {"fields": ["preview", "caption", "alt_text", "credit"]})
        if not obj.is_ready:
            fieldsets[0][1]["fields"].insert(1, "processing")
        return fieldsets

    @admin.display(description="Processing")
    def processing(self, photo):
        if photo.status == Photo.Status.FAILED:
            return format_html(
                '<strong class="newsroom-flag">Failed after {} attempts:</strong> {}',
                photo.processing_attempts,
                photo.processing_error,
            )
        return "The task worker is making the public files; reload to see the photo."

    @admin.display(description="Photo")
    def thumbnail(self, photo):
        return photo_thumbnail(photo, width=64, square=True)

    @admin.display(description="Preview")
    def preview(self, photo):
        if not photo.pk:
            return ""
        # The list prefetches only square renditions; the preview needs the others.
        return photo_thumbnail(Photo.objects.prefetch_related("renditions").get(pk=photo.pk), width=480)

    @admin.display(description="Rights")
    def rights(self, photo):
        if photo.rights_have_expired:
            return format_html('<strong class="newsroom-flag">Expired {}</strong>', photo.rights_expire_on)
        return photo.rights_expire_on or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).with_thumbnails()

    def save_model(self, request, obj, form, change):
        if change:
            update_photo(photo=obj, changed_fields=form.changed_data)
            return
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "image" and name in {f.name for f in Photo._meta.fields}
        }
        photo = create_photo(file=form.cleaned_data["image"], uploaded_by=request.user, **fields)
        obj.pk = photo.pk
        obj._state.adding = False
        obj.refresh_from_db()
        if not obj.is_ready:
            self.message_user(request, "The photo's renditions are being made; it shows once they are ready.")
