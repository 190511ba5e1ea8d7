from django.contrib import admin
from django.db.models import Count, Prefetch

from ..caching.purge import purge_gallery_change
from ..models import Gallery, GalleryPhoto, Rendition


class GalleryPhotoInline(admin.TabularInline):
    model = GalleryPhoto
    fields = ["position", "photo", "caption"]
    autocomplete_fields = ["photo"]
    extra = 1


@admin.register(Gallery)
class GalleryAdmin(admin.ModelAdmin):
    list_display = ["title", "photo_count", "created_by", "created_at"]
    list_select_related = ["created_by"]
    search_fields = ["title"]
    inlines = [GalleryPhotoInline]
    fields = ["title", "reference"]
    readonly_fields = ["reference"]

    def get_queryset(self, request):
        # The picker (body editor, lead gallery) shows each gallery's first square: prefetched.
        squares = Rendition.objects.filter(square=True, format=Rendition.Format.JPEG)
        items = GalleryPhoto.objects.select_related("photo").prefetch_related(
            Prefetch("photo__renditions", queryset=squares)
        )
        return (
            super()
            .get_queryset(request)
            .annotate(photo_count=Count("items"))
            # Meta.ordering is not applied to a query with an aggregate: newest first, said again.
            .order_by(*Gallery._meta.ordering)
            .prefetch_related(Prefetch("items", items))
        )

    @admin.display(description="photos", ordering="photo_count")
    def photo_count(self, gallery):
        return gallery.photo_count

    @admin.display(description="to place it in a story body")
    def reference(self, gallery):
        if gallery.pk is None:
            return "Save the gallery first."
        return f'<figure data-gallery-id="{gallery.pk}"></figure>'

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Pages showing the gallery show its new photos, order and captions.
        purge_gallery_change(gallery=form.instance)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
