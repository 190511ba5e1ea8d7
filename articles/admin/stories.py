from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version

from ..caching import purge
from ..models import Article, Byline, Correction, Photo, Rendition
from ..stories import presence, preview, workflow
from . import actions, views, wire_imports
from . import preview as story_preview
from .forms import ArticleAdminForm
from .scale import BylinedContributorFilter, EstimatedCountPaginator, search_stories
from .widgets import PhotoPickerWidget, PublishAtField, photo_thumbnail

# The extra_context key that carries a story's workflow fields from revision_view to changeform_view.
KEEP_WORKFLOW = "keep_workflow_through_revert"


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


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = ["thumbnail", "headline", "section", "status_label", "publish_at", "byline_names"]
    list_display_links = ["headline"]
    list_filter = [
        "status",
        "section",
        "publish_at",
        ("bylines__contributor", BylinedContributorFilter),
    ]
    # Lead photos are fetched for the page's rows (get_queryset), not joined: a join invites
    # PostgreSQL to hash the whole photo library when it expects many search matches.
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "body"]  # searched by search_stories (scale.py)
    # At a million stories: no COUNT(*) of every row, and no date hierarchy (its year
    # links scan every row); the publish_at filter above offers the recent ranges.
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    autocomplete_fields = ["lead_photo", "lead_gallery"]
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
        (
            "Lead photo and gallery",
            {"fields": ["lead_photo", "lead_photo_preview", "lead_photo_caption", "lead_gallery"]},
        ),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "embargo_until",
                    "expires_at",
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
        # Square thumbnails for the list come from renditions, fetched for every row at once.
        squares = Rendition.objects.filter(square=True, format=Rendition.Format.JPEG)
        return (
            super()
            .get_queryset(request)
            .with_bylines()
            .prefetch_related(Prefetch("lead_photo__renditions", queryset=squares))
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        return search_stories(queryset, search_term), False

    def view_on_site(self, article):
        """The public page of a live story; the staff preview of any other."""
        if article.is_public:
            return article.get_absolute_url()
        return reverse("articles:preview", args=[article.pk])

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"publish_at", "embargo_until", "expires_at"}:
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
                self.admin_site.admin_view(partial(views.import_wire_view, self)),
                name="articles_article_import_wire",
            ),
            path(
                "import-wire/<int:pk>/",
                self.admin_site.admin_view(partial(wire_imports.wire_import_result, self)),
                name="articles_article_import_wire_result",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(partial(story_preview.preview_view, self)),
                name="articles_article_preview_new",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(partial(story_preview.preview_view, self)),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(partial(views.compare_view, self)),
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
        # Whoever may hand out share links may also revoke them.
        if obj is None or not (workflow.can_publish(request.user) or workflow.can_share(request.user, obj)):
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "revoke_share_links"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    # --- list columns and read-only fields --------------------------------

    @admin.display(description="Photo")
    def thumbnail(self, article):
        return photo_thumbnail(article.lead_photo, square=True)

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
        if article.lead_photo_id is None:
            return "No lead photo yet. Pick one above; it shows here after saving."
        # The list prefetches only square renditions; the preview needs the others.
        photo = Photo.objects.prefetch_related("renditions").get(pk=article.lead_photo_id)
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
        if form.cleaned_data.get("revoke_share_links"):
            preview.revoke_share_links(obj)
        options = {"significant_update": form.cleaned_data.get("significant_update", False)}
        wanted_publish_at = obj.publish_at
        if form.action:
            actions.apply_button(form.action, article=obj, form=form, by=request.user, **options)
        else:
            workflow.save_article(article=obj, by=request.user, **options)
        said = actions.messages_after_save(form, obj)
        if obj.is_published and obj.embargo_until and obj.publish_at != wanted_publish_at:
            # Held by the embargo: whatever was asked, the story goes live when it ends.
            until = timezone.localtime(obj.embargo_until).strftime("%-d %b %Y, %H:%M %Z")
            said = [m for m in said if not m.startswith(("Published", "Scheduled", "The publish time"))]
            said.append(f"Embargoed: scheduled for the embargo's end, {until}.")
        for message in said:
            self.message_user(request, message)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.bylines.exists():
            self.message_user(request, actions.NO_BYLINE_WARNING, messages.WARNING)

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
        if formset.model is Correction and (
            formset.new_objects or formset.changed_objects or formset.deleted_objects
        ):
            workflow.correction_changed(article=form.instance, added=bool(formset.new_objects))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["stale_version"], context["stale_editor"] = form.stale_version, form.stale_editor
        context["workflow_buttons"] = actions.buttons_for(request.user, obj)
        if obj is not None and workflow.can_preview(request.user, obj):
            context["preview_url"] = reverse("articles:preview", args=[obj.pk])
        if obj is not None and workflow.can_share(request.user, obj):
            context["share_url"] = request.build_absolute_uri(preview.share_url(obj))
            context["share_link_hours"] = preview.SHARE_LINK_HOURS
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if obj is not None and not obj.is_public and "preview_url" not in context:
            # "View on site" would lead to the staff preview, which this user may not open.
            response.context_data["has_absolute_url"] = False
        return response

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
        finds the version by id alone: check both here, against the story as it is now. The
        workflow fields as they are now go to changeform_view, which reversion calls next.
        """
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        context = {**(extra_context or {}), KEEP_WORKFLOW: workflow.workflow_state(article)}
        return super().revision_view(request, object_id, version_id, context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        kept = extra_context.pop(KEEP_WORKFLOW, None)
        if kept is not None:
            # Inside reversion's transaction, right after it wrote the old revision to the row.
            workflow.keep_workflow_through_revert(article_pk=unquote(object_id), state=kept)
        return super().changeform_view(request, object_id, form_url, extra_context)

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
        workflow.correction_changed(article=obj.article, added=not change)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workflow.correction_changed(article=obj.article, added=False)

    def delete_queryset(self, request, queryset):
        articles = list(Article.objects.filter(corrections__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for article in articles:
            workflow.correction_changed(article=article, added=False)
