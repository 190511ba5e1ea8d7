from django.contrib import admin

from ..models import WireSubjectRule


@admin.register(WireSubjectRule)
class WireSubjectRuleAdmin(admin.ModelAdmin):
    list_display = ["subject", "section"]
    list_editable = ["section"]
    list_filter = ["section"]
    list_select_related = ["section"]
    search_fields = ["subject", "section__name"]
    autocomplete_fields = ["section"]
