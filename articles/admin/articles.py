from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from ..models import Article, Byline, Correction
from ..services import publishing


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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "headline",
        "section",
        "status_label",
        "publish_at",
        "byline_names",
    ]
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
                    "slug",
                    "featured",
                    "first_published_at",
                    "updated_at",
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            obj.version += 1
        obj.last_edited_by = request.user
        super().save_model(request, obj, form, change)

    def _apply(self, request, queryset, change, verb):
        done = 0
        for article in queryset:
            change(article=article, by=request.user)
            done += 1
        self.message_user(request, f"{verb} {done} stor{'y' if done == 1 else 'ies'}.", messages.SUCCESS)

    @admin.action(description="Publish now")
    def publish_now(self, request, queryset):
        self._apply(request, queryset, publishing.publish_article, "Published")

    @admin.action(description="Send back to draft")
    def send_back_to_draft(self, request, queryset):
        self._apply(request, queryset, publishing.return_to_draft, "Sent back to draft")

    @admin.action(description="Withdraw")
    def withdraw(self, request, queryset):
        self._apply(request, queryset, publishing.withdraw_article, "Withdrew")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "kind", "created_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["article"]
    search_fields = ["text", "article__headline"]
    autocomplete_fields = ["article"]
    date_hierarchy = "created_at"
