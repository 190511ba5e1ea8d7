"""The admin's wire import pages: the upload queues an import; its result page fills in when done."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from ..models import WireImport
from ..queue import enqueue_on_commit
from ..stories import workflow
from ..wire.tasks import run_wire_import


def queue_wire_import(request, form):
    """Keep the uploaded file and queue its import; returns the WireImport."""
    upload = form.cleaned_data["file"]
    job = WireImport(
        filename=Path(upload.name).name[:255],
        section=form.cleaned_data["section"],
        publish=form.cleaned_data.get("publish", False) and workflow.can_publish(request.user),
        requested_by=request.user,
    )
    job.file.save(f"wire{Path(upload.name).suffix.lower()}", upload, save=False)
    job.save()
    enqueue_on_commit(run_wire_import, job.pk)
    return job


def wire_import_result(model_admin, request, pk):
    """The result of one import; reloads itself every few seconds until the worker is done."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    job = get_object_or_404(WireImport, pk=pk)
    if job.requested_by_id != request.user.pk and not workflow.can_publish(request.user):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Wire import: {job.filename}",
        "job": job,
    }
    return TemplateResponse(request, "admin/articles/article/import_wire_result.html", context)


def to_result(job):
    return redirect(job.get_absolute_url())
