"""Originals (GPS position, camera serial numbers) are readable by the server's account only."""

import os
import stat

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import TemporaryUploadedFile

from articles.photos.pipeline import create_photo
from tests.factories import PhotoFactory, jpeg_upload

pytestmark = pytest.mark.django_db


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_original_is_written_0600_in_a_0700_folder(settings):
    photo = PhotoFactory()
    path = storages["originals"].path(photo.original.name)
    assert mode(path) == 0o600
    assert os.path.dirname(path) == str(settings.PHOTO_ORIGINALS_ROOT)
    assert mode(settings.PHOTO_ORIGINALS_ROOT) == 0o700


def test_original_spooled_to_a_temporary_file_is_also_0600(settings):
    small = jpeg_upload()
    spooled = TemporaryUploadedFile("big.jpg", "image/jpeg", small.size, None)
    spooled.write(small.read())
    spooled.seek(0)
    photo = create_photo(file=spooled, caption="A spooled upload.", credit="Jane Doe")
    spooled.close()  # as Django does after a request; the file may have been moved away
    assert mode(storages["originals"].path(photo.original.name)) == 0o600


def test_public_media_stays_world_readable(settings):
    photo = PhotoFactory()
    rendition = photo.renditions.first()
    assert mode(os.path.join(settings.MEDIA_ROOT, photo.image.name)) == 0o644
    assert mode(os.path.join(settings.MEDIA_ROOT, rendition.file.name)) == 0o644
    assert mode(os.path.join(settings.MEDIA_ROOT, "renditions")) & 0o005 == 0o005
