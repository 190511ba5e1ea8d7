"""The photo desk: staff pages to upload, describe, find and edit library photos."""

import logging
import os
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView, TemplateView, UpdateView

from ..models import Contributor, Photo, Rendition
from ..security.two_factor import SecondFactorRequiredMixin, require_second_factor
from .checks import ImageRejected
from .forms import PhotoDescribeFormSet, PhotoEditForm, PhotoSearchForm, PhotoUploadForm
from .pipeline import DuplicatePhoto, create_photo, update_photo
from .removal import PhotoInUse, delete_photo, may_remove_failed, may_remove_if_failed, photo_uses
from .similar import near_duplicates
from .storage import STORAGE_ERRORS, signed_download_url

logger = logging.getLogger(__name__)

SHARED_UPLOAD_FIELDS = ["photographer", "source", "credit"]


class PhotoDeskMixin(LoginRequiredMixin, SecondFactorRequiredMixin, PermissionRequiredMixin):
    # Anonymous visitors are sent to log in, staff who must use a second factor to enrol or
    # enter a code; staff without the permission get a 403.
    permission_required = "articles.add_photo"


class PhotoLibraryView(PhotoDeskMixin, ListView):
    template_name = "photos/library.html"
    context_object_name = "photos"
    paginate_by = 24

    def get_queryset(self):
        self.search = PhotoSearchForm(self.request.GET or None)
        photos = Photo.objects.select_related("uploaded_by").with_thumbnails()
        if self.search.is_valid():
            photos = self.search.filter(photos)
        return photos

    def get_context_data(self, **kwargs):
        searching = self.search.is_bound and any(self.search.cleaned_data.values())
        context = super().get_context_data(search=self.search, searching=searching, **kwargs)
        for photo in context["photos"]:
            photo.removable = may_remove_failed(self.request.user, photo)
        return context


class PhotoUploadView(PhotoDeskMixin, FormView):
    """Each file goes through the pipeline on its own: good ones are kept, bad ones reported."""

    template_name = "photos/upload.html"
    form_class = PhotoUploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            max_upload_mb=settings.PHOTO_MAX_UPLOAD_BYTES // (1024 * 1024),
            max_megapixels=settings.PHOTO_MAX_PIXELS // 1_000_000,
            **kwargs,
        )

    def form_valid(self, form):
        shared = {name: form.cleaned_data[name] for name in SHARED_UPLOAD_FIELDS}
        saved = []
        for upload in form.cleaned_data["images"]:
            try:
                saved.append(create_photo(file=upload, uploaded_by=self.request.user, **shared))
            except ImageRejected as rejected:
                messages.error(self.request, str(rejected))
            except STORAGE_ERRORS:
                # A full or failing disk, or a media store that is down: the pipeline has
                # already removed what it wrote.
                logger.exception("Could not store uploaded photo %r", upload.name)
                messages.error(
                    self.request,
                    f"“{os.path.basename(upload.name)}” could not be stored because of a problem on "
                    "the server (for example a full disk). Nothing was kept; try again later or tell "
                    "the web team.",
                )
            except DuplicatePhoto as duplicate:
                existing = duplicate.existing
                messages.warning(
                    self.request,
                    format_html(
                        '“{}” is already in the library as <a href="{}" class="alert-link">{}</a>.',
                        os.path.basename(upload.name),
                        existing.get_absolute_url(),
                        existing,
                    ),
                )
        if not saved:
            return self.render_to_response(self.get_context_data(form=form))
        count = len(saved)
        messages.success(self.request, f"{count} photo{'s' if count != 1 else ''} added to the library.")
        query = urlencode({"ids": ",".join(str(photo.pk) for photo in saved)}, safe=",")
        return redirect(f"{reverse('photos:describe')}?{query}")


class PhotoDescribeView(PhotoDeskMixin, TemplateView):
    """The step after an upload: caption, alt text, credit and rights of each new photo, with a
    warning where one looks like a photo already in the library."""

    template_name = "photos/describe.html"

    def get_queryset(self):
        # Ids past what the database stores are ignored, not an error from the driver.
        parts = self.request.GET.get("ids", "").split(",")
        ids = [int(part) for part in map(str.strip, parts) if part.isdigit() and len(part) < 19]
        photos = Photo.objects.filter(pk__in=ids).with_thumbnails().order_by("pk")
        if not self.request.user.has_perm("articles.change_photo"):
            # Without the right to edit photos, people describe only what they uploaded.
            photos = photos.filter(uploaded_by=self.request.user)
        return photos

    def get(self, request, *args, **kwargs):
        formset = PhotoDescribeFormSet(queryset=self.get_queryset())
        if not formset.forms:
            return redirect("photos:upload")
        return self.render_to_response(self.get_context_data(formset=formset))

    def post(self, request, *args, **kwargs):
        formset = PhotoDescribeFormSet(request.POST, queryset=self.get_queryset())
        if any(form.instance.pk is None for form in formset.forms):
            messages.error(
                request,
                "The form did not say which photo each description is for, so nothing was saved. "
                "Here are the photos again.",
            )
            return redirect(request.get_full_path())
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset))
        for form in formset.forms:
            if form.has_changed():
                update_photo(photo=form.save(commit=False), changed_fields=form.changed_data)
        messages.success(request, "Photo details saved.")
        return redirect("photos:library")

    def get_context_data(self, **kwargs):
        # Near-duplicates are pointed out here, after the upload went through: staff decide.
        forms = kwargs["formset"].forms
        close = near_duplicates([form.instance for form in forms])
        for form in forms:
            form.near_duplicates = close.get(form.instance.pk, [])
            # A photo still processing may yet fail: photo-status.js shows the remove button then.
            form.removable = not form.instance.is_ready and may_remove_if_failed(
                self.request.user, form.instance
            )
        return super().get_context_data(**kwargs)


class PhotoDetailView(PhotoDeskMixin, UpdateView):
    template_name = "photos/detail.html"
    form_class = PhotoEditForm
    context_object_name = "photo"

    def get_queryset(self):
        return Photo.objects.select_related("uploaded_by").prefetch_related("renditions")

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("articles.change_photo"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        update_photo(photo=form.instance, changed_fields=form.changed_data)
        messages.success(self.request, "Photo details saved.")
        return redirect(form.instance)

    def get_context_data(self, **kwargs):
        photo = self.object
        return super().get_context_data(
            near_duplicates=near_duplicates([photo]).get(photo.pk, []),
            can_remove=may_remove_failed(self.request.user, photo),
            lead_for=photo.lead_for.select_related("section").order_by("-publish_at", "-pk"),
            headshot_for=Contributor.objects.filter(headshot=photo),
            can_change=self.request.user.has_perm("articles.change_photo"),
            can_delete=self.request.user.has_perm("articles.delete_photo"),
            **kwargs,
        )


class PhotoDeleteView(PhotoDeskMixin, TemplateView):
    """Asks first; a photo a story or a contributor uses says which, and stays."""

    template_name = "photos/delete.html"
    permission_required = "articles.delete_photo"

    @cached_property
    def photo(self):
        return get_object_or_404(Photo.objects.with_thumbnails(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        stories, contributors = photo_uses(self.photo)
        context = {"photo": self.photo, "stories": stories, "contributors": contributors}
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            delete_photo(photo=self.photo)
        except PhotoInUse as in_use:
            messages.error(request, str(in_use))
            return self.render_to_response(self.get_context_data(), status=409)
        messages.success(request, f"Photo {kwargs['pk']} was deleted, with its files.")
        return redirect("photos:library")


@login_required
@require_second_factor
@permission_required("articles.add_photo", raise_exception=True)
@require_POST
def photo_remove(request, pk):
    """One click removes a photo the worker could not process (a damaged file), with its files."""
    photo = get_object_or_404(Photo, pk=pk)
    if not may_remove_failed(request.user, photo):
        raise PermissionDenied
    label = f"“{photo.original_filename}”" if photo.original_filename else f"Photo {photo.pk}"
    try:
        delete_photo(photo=photo)
    except PhotoInUse as in_use:
        messages.error(request, str(in_use))
        return redirect(photo)
    messages.success(request, f"{label} was removed from the library, with its files.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        if back.startswith(reverse("photos:describe")):
            return redirect(_without_id(back, pk))
        return redirect(back)
    return redirect("photos:library")


def _without_id(describe_url, pk):
    """The describe step's address without the removed photo (back to the library if it was alone)."""
    path, _, query = describe_url.partition("?")
    parts = dict(part.partition("=")[::2] for part in query.split("&") if part)
    ids = [i for i in parts.get("ids", "").split(",") if i and i != str(pk)]
    if not ids:
        return reverse("photos:library")
    return f"{path}?{urlencode({'ids': ','.join(ids)}, safe=',')}"


@login_required
@require_second_factor
@permission_required("articles.change_photo", raise_exception=True)
def photo_original(request, pk):
    """The file as uploaded, camera data and all: for staff only, and never under MEDIA_URL."""
    photo = get_object_or_404(Photo, pk=pk)
    if not photo.original:
        raise Http404("This photo has no original file.")
    filename = f"photo-{photo.pk}-original{os.path.splitext(photo.original.name)[1]}"
    # From a private bucket, the browser fetches the file itself with a URL valid for minutes.
    if url := signed_download_url(photo.original, filename=filename):
        return redirect(url)
    try:
        handle = photo.original.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The original file is missing from storage.") from missing
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("articles.add_photo", raise_exception=True)
def photo_status(request):
    """Whether the worker has finished these photos (`?ids=1,2,3`), for the desk's pages to poll."""
    parts = request.GET.get("ids", "").split(",")[:100]
    # Ids past what the database stores are ignored, not an error from the driver.
    ids = [int(part) for part in map(str.strip, parts) if part.isdigit() and len(part) < 19]
    photos = list(
        Photo.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("renditions", queryset=Rendition.objects.filter(format=Rendition.Format.JPEG))
        )
    )
    # The worker takes the fingerprint: the describe step learns of near-duplicates from here.
    close = near_duplicates([photo for photo in photos if photo.is_ready])
    found = {}
    for photo in photos:
        thumbnail, image = photo.rendition(480, square=True), photo.rendition(1280)
        found[photo.pk] = {
            "status": photo.status,
            "label": photo.get_status_display(),
            "thumbnail": thumbnail.file.url if thumbnail else "",
            "image": image.file.url if image else "",
            "error": photo.processing_error if photo.status == Photo.Status.FAILED else "",
            "near_duplicates": [
                {"url": other.get_absolute_url(), "label": _near_duplicate_label(other)}
                for other in close.get(photo.pk, [])
            ],
        }
    response = JsonResponse({"photos": found})
    response["Cache-Control"] = "private, no-store"
    return response


def _near_duplicate_label(photo):
    return f"photo {photo.pk} ({photo.credit})" if photo.credit else f"photo {photo.pk}"
