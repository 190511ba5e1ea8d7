"""Pages of the editors' desk beyond Django's own: comparing revisions and importing wire copy.

Each takes the story admin (`model_admin`) for its site, permissions and options.
"""

import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from reversion.models import Version

from ..models import Article
from ..stories import workflow
from ..stories.revisions import compare_versions
from ..wire import importer
from ..wire.common import WireError
from ..wire.forms import WireImportForm


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
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import wire story",
        "form": form,
        "summary": summary,
    }
    return TemplateResponse(request, "admin/articles/article/import_wire.html", context)
