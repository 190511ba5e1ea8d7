"""Media in an S3-compatible service (moto's server on loopback): public renditions, private originals."""

import hashlib
import io
import urllib.error
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Photo, Rendition
from articles.photos.pipeline import create_photo
from newsroom.media import storages_from_environment
from tests import imagefiles as files
from tests.factories import PhotoFactory, jpeg_upload, staff_user
from tests.s3_server import S3Server
from tests.servers import free_port

pytestmark = pytest.mark.django_db

STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


@pytest.fixture(scope="module")
def s3_server():
    server = S3Server().start()
    yield server
    server.stop()


def use_storages(settings, monkeypatch, environ, tmp_path):
    settings.STORAGES = storages_from_environment(
        environ, originals_root=tmp_path, staticfiles_backend=STATIC
    )
    # A FileField resolves a callable storage once, at import: point it at the new one.
    monkeypatch.setattr(Photo._meta.get_field("original"), "storage", storages["originals"])


@pytest.fixture
def s3(settings, monkeypatch, s3_server, tmp_path):
    use_storages(settings, monkeypatch, s3_server.environment, tmp_path)
    return s3_server


def fetch(url):
    """GET as an anonymous reader would: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture
def photo_editor(client):
    user = staff_user("pat", "Photo editor")
    client.force_login(user)
    return user


def test_without_s3_settings_media_stay_on_the_local_disk(tmp_path):
    configured = storages_from_environment({}, originals_root=tmp_path, staticfiles_backend=STATIC)
    assert configured["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert configured["originals"]["OPTIONS"] == {"location": tmp_path}


def test_s3_settings_need_a_separate_private_bucket(tmp_path):
    for private in ("", "newsroom-public"):
        environ = {"NEWSROOM_S3_PUBLIC_BUCKET": "newsroom-public", "NEWSROOM_S3_PRIVATE_BUCKET": private}
        with pytest.raises(ImproperlyConfigured, match="private bucket for original uploads"):
            storages_from_environment(environ, originals_root=tmp_path, staticfiles_backend=STATIC)


def test_public_url_setting_serves_media_from_a_custom_domain(tmp_path):
    environ = {
        "NEWSROOM_S3_PUBLIC_BUCKET": "pub",
        "NEWSROOM_S3_PRIVATE_BUCKET": "priv",
        "NEWSROOM_S3_PUBLIC_URL": "https://media.example.org/",
    }
    options = storages_from_environment(environ, originals_root=tmp_path, staticfiles_backend=STATIC)
    public = options["default"]["OPTIONS"]
    assert (public["custom_domain"], public["url_protocol"]) == ("media.example.org", "https:")
    assert public["querystring_auth"] is False
    assert options["originals"]["OPTIONS"]["querystring_auth"] is True
    assert options["originals"]["OPTIONS"]["querystring_expire"] == 300


def test_renditions_go_to_the_public_bucket_and_readers_fetch_them_by_plain_url(s3):
    photo = PhotoFactory()
    renditions = list(photo.renditions.all())
    assert renditions
    for rendition in renditions:
        url = rendition.file.url
        assert url.startswith(f"{s3.endpoint}/{s3.public_bucket}/renditions/") and "?" not in url
        status, body = fetch(url)
        assert status == 200 and body[:2] in (b"\xff\xd8", b"RI")  # JPEG or WebP (RIFF)
    assert photo.image.name in s3.keys(s3.public_bucket)


def test_originals_go_to_the_private_bucket_and_anonymous_readers_are_refused(s3, client):
    photo = PhotoFactory()
    assert photo.original.name in s3.keys(s3.private_bucket)
    assert photo.original.name not in s3.keys(s3.public_bucket)
    assert fetch(f"{s3.endpoint}/{s3.private_bucket}/{photo.original.name}")[0] == 403
    response = client.get(reverse("photos:original", args=[photo.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_download_originals_through_a_short_lived_signed_url(s3, client, photo_editor):
    upload = jpeg_upload()
    photo = create_photo(file=upload, uploaded_by=photo_editor)
    upload.seek(0)
    response = client.get(reverse("photos:original", args=[photo.pk]))
    assert response.status_code == 302
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    signed = response["Location"]
    assert signed.startswith(f"{s3.endpoint}/{s3.private_bucket}/")
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    assert "attachment" in urllib.request.unquote(signed)
    status, body = fetch(signed)
    assert status == 200 and body == upload.read()


def test_regenerating_renditions_replaces_the_files_in_the_bucket(s3):
    photo = PhotoFactory()
    before = {r.file.name for r in photo.renditions.all()}
    call_command("regenerate_renditions", "--force", "--photo", str(photo.pk), stdout=io.StringIO())
    after = {r.file.name for r in Rendition.objects.filter(photo=photo)}
    assert after and not (before & after)
    stored = set(s3.keys(s3.public_bucket))
    assert after <= stored and not (before & stored)


def test_deleting_a_photo_removes_its_files_from_both_buckets(s3, django_capture_on_commit_callbacks):
    photo = PhotoFactory()
    names = {photo.image.name, *(r.file.name for r in photo.renditions.all())}
    original = photo.original.name
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not names & set(s3.keys(s3.public_bucket))
    assert original not in s3.keys(s3.private_bucket)


def test_upload_while_the_media_store_is_down_is_a_clear_message_and_keeps_nothing(
    settings, monkeypatch, tmp_path, client, photo_editor
):
    down = S3Server(port=free_port())  # never started: nothing listens there
    use_storages(settings, monkeypatch, down.environment, tmp_path)
    response = client.post(reverse("photos:upload"), {"images": [jpeg_upload("harbour.jpg")]}, follow=True)
    assert response.status_code == 200
    assert "“harbour.jpg” could not be stored because of a problem on the server" in response.content.decode()
    assert not Photo.objects.exists()


def test_desk_upload_spooled_to_a_temporary_file_reaches_the_private_bucket_whole(
    s3, client, photo_editor, settings
):
    """The request hashes the upload as it streams in and hands the temporary file to S3 storage."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything bigger is spooled to a temporary file
    data = files.jpeg(files.picture(800, 600), exif=files.exif_block(gps=files.gps_position()))
    assert len(data) > 1024

    response = client.post(
        "/photos/upload/", {"images": [SimpleUploadedFile("harbour.jpg", data, "image/jpeg")]}, follow=True
    )

    assert "1 photo added to the library." in response.content.decode()
    photo = Photo.objects.get()
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.original.name == f"{photo.sha256}.jpg" and photo.original.name in s3.keys(s3.private_bucket)
    with photo.original.open("rb") as stored:
        assert stored.read() == data
    assert photo.is_ready and {r.file.name for r in photo.renditions.all()} <= set(s3.keys(s3.public_bucket))
