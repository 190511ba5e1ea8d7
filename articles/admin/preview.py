"""Preview what is on screen: the story form's current, unsaved content in the public article
template. Nothing is written; bylines, tags and the lead photo come from the form too."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.text import slugify
from taggit.models import Tag

from ..models import Byline
from ..stories.preview import PREVIEW_HEADERS
from ..stories.sanitize import sanitize_body
from .forms import BYLINES_PREFIX

# A story not saved yet has no id; the article page needs one to read its bylines and tags.
UNSAVED_ID = 0


def preview_view(model_admin, request, object_id=None):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = None
    if object_id is not None:
        saved = model_admin.get_object(request, unquote(object_id))
        if saved is None:
            raise Http404("No such story.")
        # Whoever may edit the story may see their edits: editors, and reporters on their own.
        if not model_admin.has_change_permission(request, saved):
            raise PermissionDenied
    elif not model_admin.has_add_permission(request):
        raise PermissionDenied
    form_class = model_admin.get_form(request, saved, change=saved is not None)
    form = type(form_class.__name__, (form_class,), {"for_preview": True})(
        request.POST, request.FILES, instance=saved
    )
    if not form.is_valid():
        response = render(
            request,
            "admin/articles/article/preview_errors.html",
            {**model_admin.admin_site.each_context(request), "form": form, "title": "Nothing to preview yet"},
            status=400,
        )
    else:
        article = unsaved_article(form, model_admin, request, saved)
        context = {"article": article, "preview": True, "related": [], "current_section": article.section}
        response = render(request, "articles/article_detail.html", context)
    for header, value in PREVIEW_HEADERS.items():
        response[header] = value
    return response


def unsaved_article(form, model_admin, request, saved):
    """The story as the form describes it, never saved, with what the article page reads."""
    article = form.instance
    article.body = sanitize_body(article.body)
    article.slug = article.slug or slugify(article.headline, allow_unicode=True) or "story"
    if article.pk is None:
        article.pk = UNSAVED_ID
    prefetch_related_objects([article], "lead_photo__renditions")
    article._prefetched_objects_cache = {
        "bylines": bylines_from_form(model_admin, request, article, saved),
        "tags": [Tag(name=name, slug=slugify(name)) for name in form.cleaned_data.get("tags") or []],
        "corrections": list(saved.corrections.all()) if saved else [],
    }
    return article


def bylines_from_form(model_admin, request, article, saved):
    inline = next(i for i in model_admin.get_inline_instances(request, saved) if i.model is Byline)
    formset = inline.get_formset(request, saved)(request.POST, instance=article, prefix=BYLINES_PREFIX)
    rows = []
    for index, row in enumerate(formset.forms):
        data = row.cleaned_data if row.is_valid() else {}
        if data.get("contributor") and not data.get("DELETE"):
            byline = Byline(contributor=data["contributor"], role=data.get("role") or Byline.Role.BY)
            rows.append((data.get("position") or 0, index, byline))
    return [byline for _, _, byline in sorted(rows, key=lambda row: row[:2])]
