"""Real camera-size photos through every way in: desk (single and bulk), admin, wire, regenerate.

The corpus (tests/realsize.py) is written once per session; `-m realsize` runs only these.
"""

import io
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles.models import Article, Photo
from articles.photos.pipeline import create_photo, rendition_plan
from tests.factories import ArticleFactory, SectionFactory, UserFactory
from tests.realsize import BUILDERS, GPS_MARKERS, MASTER_SIZES, PHOTOGRAPHER, Corpus

pytestmark = [pytest.mark.django_db, pytest.mark.realsize]

SAMPLES = Path(__file__).parent / "wire_samples"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return Corpus(tmp_path_factory.mktemp("real-size-photos"))


@pytest.fixture
def desk(client):
    user = UserFactory(username="pat", is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name="Photo editor"))
    client.force_login(user)
    return client


def upload(client, corpus, *names):
    images = [SimpleUploadedFile(name, corpus.data(name)) for name in names]
    response = client.post("/photos/upload/", {"images": images}, follow=True)
    assert response.status_code == 200
    return response


def assert_public_file_is_clean(field_file):
    with field_file.open("rb") as handle:
        data = handle.read()
    assert not Image.open(io.BytesIO(data)).getexif()
    for marker in GPS_MARKERS:
        assert marker not in data, (field_file.name, marker)
    assert PHOTOGRAPHER.encode() not in data


def assert_complete(photo, name):
    """Ready, the planned renditions each once, and no camera data in any public file."""
    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY, photo.processing_error
    assert (photo.width, photo.height) == MASTER_SIZES[name]
    plan = rendition_plan(photo)
    planned = sorted((width, square, fmt) for width, square in plan for fmt in ("jpeg", "webp"))
    assert sorted(photo.renditions.values_list("width", "square", "format")) == planned
    for field_file in [photo.image, *(rendition.file for rendition in photo.renditions.all())]:
        assert_public_file_is_clean(field_file)


def assert_page_points_at_files_that_exist(client, photo, settings):
    article = Article.objects.filter(lead_photo=photo).first() or ArticleFactory(
        lead_photo=photo, section=SectionFactory(name=f"Section {photo.pk}", slug=f"section-{photo.pk}")
    )
    html = client.get(article.get_absolute_url()).text
    urls = re.findall(r'src="([^"]+)"', html)
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        urls += [entry.split()[0] for entry in srcset.split(", ")]
    media = [url for url in urls if url.startswith(settings.MEDIA_URL)]
    assert len(media) >= 2 * len(rendition_plan(photo)) - 4  # the picture and its srcsets
    for url in media:
        assert (Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)).is_file(), url


@pytest.mark.parametrize("name", list(BUILDERS))
def test_desk_upload_of_one_real_size_photo(desk, corpus, settings, name):
    upload(desk, corpus, name)

    photo = Photo.objects.get()
    assert_complete(photo, name)
    assert_page_points_at_files_that_exist(desk, photo, settings)


def test_desk_bulk_upload_of_real_size_photos(desk, corpus):
    names = ["camera-12mp.jpg", "portrait-6.jpg", "cmyk.jpg", "iphone.heic", "animated.gif"]

    response = upload(desk, corpus, *names)

    assert [str(message) for message in response.context["messages"]] == ["5 photos added to the library."]
    for name, photo in zip(names, Photo.objects.order_by("pk"), strict=True):
        assert_complete(photo, name)


@pytest.mark.parametrize("name", ["camera-12mp.jpg", "sixteen-bit.png", "photo.webp", "iphone.heic"])
def test_admin_add_of_a_real_size_photo(desk, corpus, name):
    response = desk.post(
        "/admin/articles/photo/add/",
        {
            "image": SimpleUploadedFile(name, corpus.data(name)),
            "caption": "A real-size photo.",
            "alt_text": "Gradients.",
            **dict.fromkeys(["credit", "photographer", "source", "title", "copyright_notice"], ""),
            **dict.fromkeys(["taken_at_0", "taken_at_1", "rights_expire_on", "focal_x", "focal_y"], ""),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_complete(Photo.objects.get(), name)


@pytest.mark.parametrize("name", ["camera-24mp.jpg", "panorama.jpg", "iphone.heic"])
def test_import_wire_with_a_real_size_photo(client, corpus, settings, tmp_path, name):
    SectionFactory(name="World", slug="world")
    story = (SAMPLES / "nitf" / "story.xml").read_text().replace('source="photo.jpg"', f'source="{name}"')
    (tmp_path / "story.xml").write_text(story)
    shutil.copy(corpus.path(name), tmp_path / name)

    call_command("import_wire", str(tmp_path), "--publish", stdout=io.StringIO(), verbosity=0)

    photo = Article.objects.get().lead_photo
    assert_complete(photo, name)
    assert_page_points_at_files_that_exist(client, photo, settings)


@pytest.mark.parametrize("name", ["camera-24mp.jpg", "exactly-2561.jpg", "animated.webp"])
def test_regenerate_renditions_of_a_real_size_photo(corpus, name):
    photo = create_photo(file=SimpleUploadedFile(name, corpus.data(name)))
    before = set(photo.renditions.values_list("pk", flat=True))

    call_command("regenerate_renditions", "--force", stdout=io.StringIO(), stderr=io.StringIO())

    assert before.isdisjoint(photo.renditions.values_list("pk", flat=True))
    assert_complete(photo, name)
