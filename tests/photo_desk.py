"""Helpers shared by the photo desk's tests (tests/test_photo_desk_*.py): posting uploads and
looking at what they left on disk. Their fixtures (desk, photo_editor, media_dir,
originals_dir) are in tests/conftest.py."""

import io
import os
from pathlib import Path

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import imagefiles as files
from tests.factories import UserFactory

UPLOAD = "/photos/upload/"


def member_of(group, username):
    user = UserFactory(username=username, first_name=username.title())
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def upload(client, *named_files, **fields):
    """POST (name, bytes) pairs to the upload view as one multi-file upload; follow redirects."""
    images = [SimpleUploadedFile(name, data, content_type="image/jpeg") for name, data in named_files]
    return client.post(UPLOAD, {"images": images, **fields}, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def files_in(folder):
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


def names_in(folder):
    return {path.relative_to(folder).as_posix() for path in files_in(folder)}


def noise_jpeg(width, height, quality=95):
    """A JPEG of random pixels: it barely compresses, so it is big for its size."""
    return files.encode(
        Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)), "JPEG", quality=quality
    )


def opened(field_file):
    with field_file.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image
