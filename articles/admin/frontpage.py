"""The front page editor: a layout with one inline per zone, stories picked by autocomplete
(published stories only) and ordered by drag and drop or by their position numbers."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Subquery
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ..models import FrontPage, Placement
from ..models.frontpage import MORE_STORIES, STORIES_PER_SECTION, TOP_STORIES
from ..stories import frontpage

NOT_PUBLISHED = (
    "Only published stories can be placed on the front page, and this one is not published (any "
    "more). Pick another, or tick Delete."
)


class PlacementForm(forms.ModelForm):
    zone = None  # set for each zone's inline

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].error_messages["invalid_choice"] = NOT_PUBLISHED

    def _post_clean(self):
        # The zone is the inline's, never the browser's: set before the model checks run.
        self.instance.zone = self.zone
        super()._post_clean()


class PlacementFormSet(forms.BaseInlineFormSet):
    request = None

    def clean(self):
        super().clean()
        # A story may sit in one zone only. Every zone's formset is cleaned in turn, so each
        # checks what the ones before it took, remembered on the request.
        taken = self.request.__dict__.setdefault("_front_page_placed", {})
        per_section = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            story = form.cleaned_data.get("article")
            if story is None:
                continue
            if story.pk in taken:
                form.add_error("article", f"“{story}” is already placed in {taken[story.pk]}.")
            taken[story.pk] = self.zone_label
            section = form.cleaned_data.get("section")
            per_section[section] = per_section.get(section, 0) + 1
            if section is not None and per_section[section] > STORIES_PER_SECTION:
                form.add_error("section", f"A section block shows at most {STORIES_PER_SECTION} stories.")


class PlacementInline(admin.TabularInline):
    model = Placement
    form = PlacementForm
    formset = PlacementFormSet
    zone = None
    fields = ["position", "article", "story_state"]
    readonly_fields = ["story_state"]
    autocomplete_fields = ["article"]
    extra = 1
    classes = ["placement-zone"]

    class Media:
        js = ["articles/admin/placement-order.js"]
        css = {"all": ["articles/admin/newsroom-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(zone=self.zone).select_related("article", "section")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.zone = self.zone
        formset.request = request
        formset.zone_label = str(self.verbose_name_plural)
        return formset

    @admin.display(description="on the page")
    def story_state(self, placement):
        if placement.pk is None:
            return ""
        return "Shown" if placement.article.is_public else "Not published: not shown"


def _zone_inline(zone, *, max_num=None, label, one, **options):
    form = type(f"{zone.name.title()}PlacementForm", (PlacementForm,), {"zone": zone})
    attributes = {
        "zone": zone,
        "form": form,
        "max_num": max_num,
        "validate_max": max_num is not None,
        # Django heads a zone of one place with the singular name.
        "verbose_name": one,
        "verbose_name_plural": label,
        **options,
    }
    return type(f"{zone.name.title()}PlacementInline", (PlacementInline,), attributes)


LeadInline = _zone_inline(Placement.Zone.LEAD, max_num=1, label="Lead story", one="lead story")
TopInline = _zone_inline(Placement.Zone.TOP, max_num=TOP_STORIES, label="Top stories", one="top story")
MoreInline = _zone_inline(
    Placement.Zone.MORE, max_num=MORE_STORIES, label="More rail", one="story in the more rail"
)
SectionInline = _zone_inline(
    Placement.Zone.SECTION,
    label="Section blocks",
    one="story in a section block",
    fields=["section", "position", "article", "story_state"],
    ordering=["section__position", "section__name", "position"],
)


class FrontPageForm(forms.ModelForm):
    class Meta:
        model = FrontPage
        fields = ["name", "status", "go_live_at", "manual_sections"]
        widgets = {"manual_sections": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Editors draft or schedule; Live and Archived are recorded when a layout goes live.
        wanted = {FrontPage.Status.DRAFT, FrontPage.Status.SCHEDULED, self.instance.status}
        self.fields["status"].choices = [c for c in FrontPage.Status.choices if c[0] in wanted]


@admin.register(FrontPage)
class FrontPageAdmin(admin.ModelAdmin):
    form = FrontPageForm
    list_display = ["name", "status_label", "go_live_at", "placed", "created_by", "preview_link"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    search_fields = ["name"]
    date_hierarchy = "go_live_at"
    inlines = [LeadInline, TopInline, MoreInline, SectionInline]
    actions = ["make_live_again"]
    save_on_top = True

    def get_queryset(self, request):
        current = FrontPage.objects.eligible().order_by("-go_live_at", "-id").values("pk")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(placed_count=Count("placements"), is_current=Q(pk=Subquery(current)))
        )

    def get_urls(self):
        preview = self.admin_site.admin_view(partial(preview_view, self))
        return [
            path("<int:object_id>/preview/", preview, name="articles_frontpage_preview"),
            *super().get_urls(),
        ]

    def view_on_site(self, obj):
        return reverse("admin:articles_frontpage_preview", args=[obj.pk])

    @admin.display(description="status")
    def status_label(self, layout):
        if layout.is_current:
            return format_html("<strong>{}</strong>", "On the home page now")
        return layout.get_status_display()

    @admin.display(description="stories placed", ordering="placed_count")
    def placed(self, layout):
        return layout.placed_count

    @admin.display(description="preview")
    def preview_link(self, layout):
        return format_html('<a href="{}">Preview</a>', self.view_on_site(layout))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        frontpage.record_layout_saved(layout=form.instance)

    @admin.action(description="Make this the live layout again (as a copy)", permissions=["add"])
    def make_live_again(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Pick exactly one layout to put back.", messages.WARNING)
            return
        copy = frontpage.restore_layout(layout=queryset.get(), by=request.user)
        self.message_user(request, f"“{copy}” is now the live layout.", messages.SUCCESS)


def preview_view(model_admin, request, object_id):
    """The home page as the layout would show it, for the desk only."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    layout = get_object_or_404(FrontPage, pk=object_id)
    context = {**frontpage.home_page(layout=layout).context(), "layout_preview": True}
    response = TemplateResponse(request, "articles/home.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
