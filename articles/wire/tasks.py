"""Wire imports started in the admin, run by the task worker; `import_wire` on the command line
runs the same importer in the foreground."""

import logging
import shutil
import tempfile
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from ..models import WireImport
from . import importer
from .common import WireError

logger = logging.getLogger(__name__)


def _results(summary):
    return [
        {
            "label": result.label,
            "outcome": result.outcome,
            "message": result.message,
            "article_id": result.article.pk if result.article is not None else None,
            "headline": result.article.headline if result.article is not None else "",
        }
        for result in summary.results
    ]


@task()
def run_wire_import(wire_import_id):
    """Import an uploaded wire file and record the outcome on its WireImport for the result page."""
    job = WireImport.objects.select_related("section", "requested_by").filter(pk=wire_import_id).first()
    if job is None or job.status != WireImport.Status.QUEUED:
        return "skipped"
    WireImport.objects.filter(pk=job.pk).update(status=WireImport.Status.RUNNING)
    try:
        with tempfile.TemporaryDirectory(prefix="wire-") as folder:
            # The upload's own name is not trusted beyond its extension.
            path = Path(folder) / f"upload{Path(job.filename).suffix.lower()}"
            with job.file.open("rb") as source, path.open("wb") as destination:
                shutil.copyfileobj(source, destination)
            summary = importer.import_wire(
                path, by=job.requested_by, publish=job.publish, section=job.section
            )
        job.status, job.summary, job.results = WireImport.Status.DONE, str(summary), _results(summary)
    except WireError as error:
        job.status, job.summary = WireImport.Status.FAILED, "The file could not be read."
        job.results = [{"label": job.filename, "outcome": "failed", "message": str(error)}]
    except Exception:
        logger.exception("Wire import %s failed", job.pk)
        job.status, job.summary = WireImport.Status.FAILED, "The import stopped on an unexpected error."
        message = "The web team has the details in the log."
        job.results = [{"label": job.filename, "outcome": "failed", "message": message}]
        raise
    finally:
        # The stories and photos are in now; the upload (camera data and all) need not stay.
        job.file.delete(save=False)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "summary", "results", "finished_at", "file"])
    return job.summary
