"""The photo desk's upload request against storing the same files, same run.

    .venv/bin/python bench/bench_upload.py [--files 10] [--rounds 3]

Writes ten distinct 24-megapixel camera JPEGs, then per round (fresh folders each time):
  (a) the desk upload: one POST of all the files through Django's test client, in process,
      with the task backend set to one that never runs tasks (the worker's part, which now
      includes decoding each file whole, is bench_renditions.py); includes the multipart
      parsing with the SHA-256 taken as the chunks stream in, the header checks, saving the
      originals and the rows;
  (b) FileSystemStorage.save() of the same files, read from memory: the issue's anchor;
  (c) the same POST to a bare view that only saves the uploads with FileSystemStorage, with
      Django's own upload handlers: the like-for-like anchor, since (b) leaves out the HTTP
      multipart parsing that any upload pays.
Goal (issue 9): (a) within 2x of (b). Both ratios are judged and printed.
"""

import argparse
import os
import statistics
import sys
import time

from scratch import scratch_site

scratch = scratch_site("bench-upload-")
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from PIL import Image, ImageChops, ImageDraw  # noqa: E402

GOAL = 2.0


def camera_jpeg(number, size=(6000, 4000)):
    noise = Image.effect_noise(size, 40)
    bands = [
        ImageChops.add(Image.linear_gradient("L").rotate(90).resize(size), noise, scale=1.3),
        ImageChops.add(Image.linear_gradient("L").resize(size), noise, scale=1.3),
        Image.radial_gradient("L").resize(size),
    ]
    photo = Image.merge("RGB", bands)
    # Distinct files: the desk refuses a file it already has.
    ImageDraw.Draw(photo).rectangle((0, 0, 40 * (number + 1), 40), fill=(number * 20, 0, 0))
    path = scratch / f"camera-{number}.jpg"
    photo.save(path, "JPEG", quality=90)
    return path


@csrf_exempt
def bare_upload(request):
    # Django's stock handlers, without the desk's hashing ones (settings.FILE_UPLOAD_HANDLERS).
    request.upload_handlers = [MemoryFileUploadHandler(request), TemporaryFileUploadHandler(request)]
    storage = FileSystemStorage(location=scratch / "bare")
    for upload in request.FILES.getlist("images"):
        storage.save(upload.name, upload)
    return HttpResponse("stored")


urlpatterns = [path("bare/", bare_upload), path("", include("newsroom.urls"))]


def post(client, url, files):
    uploads = [SimpleUploadedFile(path.name, data, content_type="image/jpeg") for path, data in files]
    started = time.perf_counter()
    response = client.post(url, {"images": uploads})
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from articles.models import Photo

    user = get_user_model().objects.create_user("bench", is_staff=True)
    user.groups.add(Group.objects.get(name="Photo editor"))
    client = Client()
    client.force_login(user)
    files = [(path, path.read_bytes()) for path in map(camera_jpeg, range(options.files))]
    megabytes = sum(len(data) for _, data in files) / 2**20
    rows = []
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        for round_number in range(options.rounds):
            Photo.objects.all().delete()  # the same files again: not duplicates
            desk = post(client, "/photos/upload/", files)
            assert Photo.objects.count() == options.files
            storage = FileSystemStorage(location=scratch / f"plain-{round_number}")
            started = time.perf_counter()
            for path, data in files:
                storage.save(path.name, ContentFile(data))
            plain = time.perf_counter() - started
            bare = post(client, "/bare/", files)
            rows.append((desk, plain, bare))
    print(f"{options.files} files of 24 MP, {megabytes:.0f} MB in all; seconds per round")
    print(
        f"{'round':<6} {'desk upload':>11} {'FileSystemStorage.save':>22} {'bare upload view':>16} "
        f"{'desk/save':>9} {'desk/bare':>9}"
    )
    for number, (desk, plain, bare) in enumerate(rows, 1):
        ratios = f"{desk / plain:>9.2f} {desk / bare:>9.2f}"
        print(f"{number:<6} {desk:>11.2f} {plain:>22.2f} {bare:>16.2f} {ratios}")
    print()
    for label, anchor in (("desk/save", 1), ("desk/bare", 2)):
        ratio = statistics.median(row[0] / row[anchor] for row in rows)
        verdict = "MEETS" if ratio <= GOAL else "MISSES"
        what = "the issue's anchor" if anchor == 1 else "like for like: an HTTP upload that only saves"
        print(f"median {label} {ratio:.2f} (goal <= {GOAL:g}, {what}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
