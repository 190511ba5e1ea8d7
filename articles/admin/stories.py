import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version

from ..models import Article, Byline, Correction, Photo, Section
from ..public import purge
from ..stories import presence, preview, workflow
from ..stories.revisions import compare_versions
from ..wire import importer
from ..wire.common import WireError

# Set by the workflow, never by reverting to an older revision.
WORKFLOW_FIELDS = [
    "status",
    "publish_at",
    "first_published_at",
    "significantly_updated_at",
    "featured",
    "version",
    "preview_key",
    "external_id",
    "created_by_id",
]


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["position", "contributor", "role"]
    autocomplete_fields = ["contributor"]
    ordering = ["position", "id"]
    extra = 1


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "created_at"]
    extra = 0


def photo_thumbnail(photo, *, width=64):
    if photo is None:
        return ""
    height = round(width * photo.height / photo.width) if photo.width else width
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="newsroom-thumb">',
        photo.image.url,
        width,
        height,
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


class ArticleAdminForm(forms.ModelForm):
    """The story form, with the checks a shared desk needs: roles, stale saves, update flags."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    significant_update = forms.BooleanField(
        required=False,
        label="Significant update",
        help_text="Tick when the change matters to readers: the story shows an 'Updated' time. "
        "Leave unticked for typo fixes.",
    )
    revoke_share_links = forms.BooleanField(
        required=False,
        label="Revoke share links",
        help_text="Every preview link given out for this story stops working.",
    )
    stale_version = None  # the saved story, when this form was opened at an older version
    stale_editor = ""
    publish_time_set = None  # the publish time chosen for "Published" with an empty time
    user = None  # set per request by ArticleAdmin.get_form
    workflow = None  # the story's workflow fields before a revert, see ArticleAdmin.revision_view

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        if "status" in self.fields and self.user is not None:
            allowed = workflow.allowed_statuses(self.user)
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] in allowed
            ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.user is not None and status not in workflow.allowed_statuses(self.user):
            raise forms.ValidationError("Only editors can publish, schedule or withdraw a story.")
        return status

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and "publish_at" in self.fields
            and not cleaned.get("publish_at")
            and "publish_at" not in self.errors
        ):
            # "Published" with no time means now, as the field's help text promises.
            cleaned["publish_at"] = self.publish_time_set = workflow.publish_time(self.instance)
        if not self.instance.pk:
            return cleaned
        if cleaned.get("edit_version") is None:
            raise forms.ValidationError(
                "This form is missing the version it was opened at, so it could overwrite someone "
                "else's changes. Reload the story and make your changes again.",
                code="no_version",
            )
        # The admin saves inside a transaction: locking the row here makes check-and-save atomic.
        saved = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        if saved is not None:
            current = self.workflow["version"] if self.workflow else saved.version
            if current != cleaned["edit_version"]:
                # Read after the lock, on its own: a join in the locking query can miss the
                # editor who saved while this request waited for the row.
                editor = get_user_model().objects.filter(pk=saved.last_edited_by_id).first()
                who = (editor.get_full_name() or editor.get_username()) if editor else "Someone"
                when = timezone.localtime(saved.updated_at).strftime("%H:%M")
                self.stale_version = saved
                self.stale_editor = who if editor else "someone else"
                # Let a second save go through once the editor has seen what changed.
                self.data = self.data.copy()
                self.data["edit_version"] = current
                raise forms.ValidationError(
                    f"{who} saved this story at {when}, after you opened it. Your changes are "
                    "below and have not been saved. Compare them with the saved version shown "
                    "under this message, then save again to replace it with yours.",
                    code="stale",
                )
        return cleaned


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = ["thumbnail", "headline", "section", "status_label", "publish_at", "byline_names"]
    list_display_links = ["headline"]
    list_filter = [
        "status",
        "section",
        "publish_at",
        ("bylines__contributor", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["section", "lead_photo"]
    search_fields = ["headline", "dek", "body"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["lead_photo"]
    readonly_fields = ["lead_photo_preview", "first_published_at", "updated_at"]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_now", "send_back_to_draft", "withdraw"]
    save_on_top = True
    object_history_template = "admin/articles/article/object_history.html"
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "dek", "dateline", "body"]}),
        ("Section and tags", {"fields": ["section", "tags"]}),
        ("Lead photo", {"fields": ["lead_photo", "lead_photo_preview", "lead_photo_caption"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "significant_update",
                    "slug",
                    "featured",
                    "first_published_at",
                    "updated_at",
                    "revoke_share_links",
                    "edit_version",
                ]
            },
        ),
        (
            "Search and syndication",
            {"classes": ["collapse"], "fields": ["seo_title", "seo_description", "canonical_url"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/newsroom-admin.css"]}
        js = ["articles/admin/character-count.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_bylines()

    def view_on_site(self, article):
        """The public page of a live story; the staff preview of any other."""
        if article.is_public:
            return article.get_absolute_url()
        return reverse("articles:preview", args=[article.pk])

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "publish_at":
            kwargs.update(form_class=PublishAtField, widget=AdminSplitDateTime)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_photo":
            kwargs["widget"] = PhotoPickerWidget(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "import-wire/",
                self.admin_site.admin_view(self.import_wire_view),
                name="articles_article_import_wire",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    # --- who may do what -------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if not workflow.can_publish(request.user):
            fields += ["publish_at", "featured"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in self.fieldsets]
        if obj is None or not workflow.can_publish(request.user):
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "revoke_share_links"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        workflow = getattr(request, "article_workflow", None)
        return type(form.__name__, (form,), {"user": request.user, "workflow": workflow})

    # --- list columns and read-only fields --------------------------------

    @admin.display(description="Photo")
    def thumbnail(self, article):
        return photo_thumbnail(article.lead_photo)

    @admin.display(description="Status", ordering="status")
    def status_label(self, article):
        return article.status_label

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return format_html_join(
            ", ",
            "{} {}",
            ((b.get_role_display(), b.contributor.name) for b in article.bylines.all()),
        )

    @admin.display(description="Preview")
    def lead_photo_preview(self, article):
        photo = article.lead_photo
        if photo is None:
            return "No lead photo yet. Pick one above; it shows here after saving."
        return format_html(
            "{}<p>{}<br><small>{}</small></p>",
            photo_thumbnail(photo, width=240),
            article.lead_caption,
            photo.credit,
        )

    def get_changeform_initial_data(self, request):
        return {"status": Article.Status.DRAFT, **super().get_changeform_initial_data(request)}

    # --- saving -----------------------------------------------------------

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            # During a revert the row holds the old revision; the story's status is not changing.
            reverting = getattr(request, "article_workflow", None) is not None
            before = obj.status_label if reverting else Article.objects.get(pk=obj.pk).status_label
            obj.version += 1
        else:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        if form.cleaned_data.get("significant_update") and obj.first_published_at:
            obj.significantly_updated_at = timezone.now()
        if form.cleaned_data.get("revoke_share_links"):
            preview.revoke_share_links(obj)
        # Cache purge, sent from save_related once bylines, tags and corrections are saved too.
        request.story_before_save = purge.story_state(obj)
        super().save_model(request, obj, form, change)
        if form.publish_time_set is not None:
            when = timezone.localtime(obj.publish_at).strftime("%-d %b %Y, %H:%M")
            self.message_user(request, f"The publish time was empty, so it was set to now: {when}.")
        if before is not None:
            workflow.log_status_change(article=obj, by=request.user, before=before)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        corrected = any(
            formset.model is Correction
            and (formset.new_objects or formset.changed_objects or formset.deleted_objects)
            for formset in formsets
        )
        purge.purge_story_change(
            article=form.instance, before=getattr(request, "story_before_save", None), corrected=corrected
        )

    def delete_model(self, request, obj):
        before = purge.story_state(obj)
        super().delete_model(request, obj)
        purge.purge_story_change(article=obj, before=before)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["stale_version"], context["stale_editor"] = form.stale_version, form.stale_editor
        if obj is not None:
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
            context["share_url"] = request.build_absolute_uri(preview.share_url(obj))
            context["share_link_hours"] = preview.SHARE_LINK_HOURS
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions -----------------------------------------------------

    def _apply(self, request, queryset, change, verb):
        done = 0
        for article in queryset:
            change(article=article, by=request.user)
            done += 1
        self.message_user(request, f"{verb} {done} stor{'y' if done == 1 else 'ies'}.", messages.SUCCESS)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._apply(request, queryset, workflow.publish_article, "Published")

    @admin.action(description="Send back to draft", permissions=["publish"])
    def send_back_to_draft(self, request, queryset):
        self._apply(request, queryset, workflow.return_to_draft, "Sent back to draft")

    @admin.action(description="Withdraw", permissions=["publish"])
    def withdraw(self, request, queryset):
        self._apply(request, queryset, workflow.withdraw_article, "Withdrew")

    # --- revisions --------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Revert a story's text and bylines; its place in the workflow stays as it is now.

        django-reversion writes the whole stored copy back, status and times included, and
        finds the version by id alone: check both here, against the story as it is now.
        """
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        request.article_workflow = {field: getattr(article, field) for field in WORKFLOW_FIELDS}
        return super().revision_view(request, object_id, version_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if request.method == "GET" and article is not None:
            extra_context = {
                "also_open": presence.note_opened(
                    article, request.user, editing=self.has_change_permission(request, article)
                ),
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        workflow = getattr(request, "article_workflow", None)
        if article is not None and workflow:
            for field, value in workflow.items():
                setattr(article, field, value)
        return article

    def recover_view(self, request, version_id, extra_context=None):
        # Bringing back a deleted story can bring back a published one.
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        versions = (
            Version.objects.get_for_object_reference(Article, object_id)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )
        return super().history_view(request, object_id, {"versions": versions, **(extra_context or {})})

    def compare_view(self, request, object_id):
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            older = get_object_or_404(versions, pk=int(request.GET.get("from", "")))
            newer = get_object_or_404(versions, pk=int(request.GET.get("to", "")))
        except ValueError as not_a_number:
            raise Http404("Pick two revisions to compare.") from not_a_number
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Changes to “{article}”",
            "older": older,
            "newer": newer,
            "fields": compare_versions(older, newer),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    # --- wire import ------------------------------------------------------

    def import_wire_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WireImportForm(request.POST or None, request.FILES or None)
        if not workflow.can_publish(request.user):
            del form.fields["publish"]
        summary = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.TemporaryDirectory(prefix="wire-") as folder:
                # The upload's own name is not trusted beyond its extension.
                path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
                with path.open("wb") as destination:
                    for chunk in upload.chunks():
                        destination.write(chunk)
                try:
                    summary = importer.import_wire(
                        path,
                        by=request.user,
                        publish=form.cleaned_data.get("publish", False),
                        section=form.cleaned_data["section"],
                    )
                except WireError as error:
                    form.add_error("file", str(error))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import wire story",
            "form": form,
            "summary": summary,
        }
        return TemplateResponse(request, "admin/articles/article/import_wire.html", context)


class WireImportForm(forms.Form):
    file = forms.FileField(
        help_text="An NITF or NewsML-G2 XML file, or a zip holding such files with their photos."
    )
    section = forms.ModelChoiceField(Section.objects.all(), help_text="Where new stories are filed.")
    publish = forms.BooleanField(
        required=False, help_text="Publish at once. Without it, stories arrive in review."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".xml", ".zip"}:
            raise forms.ValidationError("Upload an .xml file or a .zip.")
        return upload


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        purge.purge_correction(article=obj.article)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        purge.purge_correction(article=obj.article)

    def delete_queryset(self, request, queryset):
        articles = list(Article.objects.filter(corrections__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for article in articles:
            purge.purge_correction(article=article)
