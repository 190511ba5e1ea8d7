from django.contrib import admin

from ..caching import keys, purge
from ..models import Contributor, Section


class PurgeOnSaveMixin:
    """A renamed section or an edited contributor shows on every page carrying its key. Adding
    or deleting one purges too: a section is in every page's navigation (kept per process
    until a purge, stories/navigation.py)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        purge.purge([self.surrogate_key(obj.pk)])

    def delete_model(self, request, obj):
        key = self.surrogate_key(obj.pk)
        super().delete_model(request, obj)
        purge.purge([key])

    def delete_queryset(self, request, queryset):
        keys = [self.surrogate_key(pk) for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        purge.purge(keys)


@admin.register(Section)
class SectionAdmin(PurgeOnSaveMixin, admin.ModelAdmin):
    surrogate_key = staticmethod(keys.section_key)
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Contributor)
class ContributorAdmin(PurgeOnSaveMixin, admin.ModelAdmin):
    surrogate_key = staticmethod(keys.contributor_key)
    list_display = ["name", "kind", "job_title", "user"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["headshot"]
    fields = ["name", "slug", "kind", "job_title", "bio", "headshot", "user"]

    def get_fields(self, request, obj=None):
        # Reporters add contributors from a byline row; linking a staff account is for editors.
        fields = super().get_fields(request, obj)
        if not request.user.has_perm("articles.change_contributor"):
            fields = [name for name in fields if name != "user"]
        return fields
