"""Pages of the editors' desk beyond Django's own: comparing revisions and importing wire copy.

Each takes the story admin (`model_admin`) for its site, permissions and options.
"""


from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from reversion.models import Version

from ..models import Article
from ..stories import workflow
from ..stories.revisions import compare_versions
from ..wire.forms import WireImportForm
from . import wire_imports


def compare_view(model_admin, request, object_id):
    article = get_object_or_404(Article, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, article):
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
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "original": article,
        "title": f"Changes to “{article}”",
        "older": older,
        "newer": newer,
        "fields": compare_versions(older, newer),
    }
    return TemplateResponse(request, "admin/articles/article/compare.html", context)



def import_wire_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = WireImportForm(request.POST or None, request.FILES or None)
    if not workflow.can_publish(request.user):
        del form.fields["publish"]
    if request.method == "POST" and form.is_valid():
        # The task worker imports it; the result page fills in when it is done.
        return wire_imports.to_result(wire_imports.queue_wire_import(request, form))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import wire story",
        "form": form,
    }
    return TemplateResponse(request, "admin/articles/article/import_wire.html", context)
