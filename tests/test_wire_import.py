"""Importing wire stories: the command, the admin page, bad input and re-imports."""

import datetime
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Contributor, Photo, WireImport
from articles.wire.importer import Outcome, import_wire
from articles.wire.tasks import run_wire_import
from tests.factories import PhotoFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "wire_samples"
NITF_HEADLINE = "Lisbon’s Route 31 tram returns after a decade of “temporary” closure"


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


def files_on_disk(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def run_import(*args):
    out = io.StringIO()
    call_command("import_wire", *map(str, args), stdout=out, verbosity=0)
    return out.getvalue()


def test_nitf_story_maps_every_field(world):
    output = run_import(SAMPLES / "nitf", "--section", "world")
    assert "1 imported" in output
    story = Article.objects.get()
    assert story.headline == NITF_HEADLINE
    assert story.dek == "Restored 1930s cars & a timetable residents call ‘optimistic’"
    assert story.dateline == "LISBON"
    assert story.external_id == "CP-20261124-LIS-0042"
    assert story.status == Article.Status.REVIEW and story.section == world
    assert story.publish_at == datetime.datetime(2026, 11, 24, 8, 30, tzinfo=datetime.UTC)
    assert "“We waited so long that my grandson learned to drive,”" in story.body
    assert "<h2>A costly restoration</h2>" in story.body
    assert "<blockquote>" in story.body and "&amp; three restored cars" in story.body
    assert [(b.contributor.name, b.role) for b in story.bylines.all()] == [
        ("José Müller", "by"),
        ("Zoë Łukasiewicz", "by"),
    ]
    assert sorted(story.tags.names()) == ["Lisbon", "Public transport", "Trams"]
    photo = story.lead_photo
    assert photo.caption.startswith("A Route 31 tram in Graça")
    assert photo.credit == "Ana Ruiz / Continental Press file"
    assert (photo.photographer, photo.source, photo.is_file_photo) == ("Ana Ruiz", "Continental Press", True)
    assert photo.alt_text == "A yellow tram climbs a cobbled street under a blue sky."
    assert photo.renditions.exists()


def test_imported_story_reads_right_on_the_public_page(client, world):
    run_import(SAMPLES / "nitf", "--publish")
    story = Article.objects.get()
    assert story.is_public
    html = client.get(story.get_absolute_url()).content.decode()
    for text in (
        "Lisbon’s Route 31 tram",
        "José Müller",
        "Zoë Łukasiewicz",
        "LISBON",
        "Ana Ruiz / Continental Press file",
        "A yellow tram climbs a cobbled street",
        "Restored 1930s cars &amp; a timetable residents call ‘optimistic’",
        "A Route 31 tram in Graça",
        "“We waited so long that my grandson learned to drive,”",
        "<h2>A costly restoration</h2>",
        "Trams",
        "Public transport",
    ):
        assert text in html, text


def test_newsml_item_and_package_import(world):
    run_import(SAMPLES / "newsml" / "newsitem.xml", SAMPLES / "newsml" / "package.xml")
    assert Article.objects.count() == 2
    packaged = Article.objects.exclude(lead_photo=None).get()
    assert packaged.lead_photo.credit and packaged.lead_photo.alt_text
    assert all(a.bylines.exists() and a.body for a in Article.objects.all())


def test_zip_with_story_and_photo(tmp_path, world):
    bundle = tmp_path / "delivery.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(SAMPLES / "nitf" / "story.xml", "story.xml")
        archive.write(SAMPLES / "nitf" / "photo.jpg", "photo.jpg")
    run_import(bundle)
    assert Article.objects.get().lead_photo is not None


@pytest.mark.parametrize(
    "name, words",
    [
        ("malformed.xml", "not well-formed XML"),
        ("billion_laughs.xml", "entit"),
        ("external_entity.xml", "entit"),
        ("unknown_format.xml", "not NITF or NewsML-G2"),
        ("empty_body.xml", "no body text"),
        ("long_headline.xml", "400"),
        ("missing_photo.xml", "missing"),
    ],
)
def test_bad_input_fails_with_words_and_saves_nothing(tmp_path, settings, world, name, words):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SAMPLES / "bad" / name, folder / name)
    shutil.copy(SAMPLES / "nitf" / "story.xml", folder / "good.xml")
    shutil.copy(SAMPLES / "nitf" / "photo.jpg", folder / "photo.jpg")
    summary = import_wire(folder, section=world)
    failed = [r for r in summary.results if r.outcome == Outcome.FAILED]
    assert len(failed) == 1 and words.lower() in failed[0].message.lower(), failed[0].message
    assert summary.count(Outcome.IMPORTED) == 1  # the rest of the batch still comes in
    assert Article.objects.get().headline == NITF_HEADLINE
    assert Photo.objects.count() == 1


def test_photo_that_is_not_an_image_fails_the_story_and_leaves_no_files(tmp_path, settings, world):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SAMPLES / "nitf" / "story.xml", folder / "story.xml")
    (folder / "photo.jpg").write_text("<html><script>alert(1)</script></html>")
    summary = import_wire(folder, section=world)
    assert summary.failed == 1
    message = summary.results[0].message
    assert "JPEG, PNG, WebP, GIF or HEIC" in message or "image" in message
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert not Contributor.objects.exists()
    assert files_on_disk(settings.MEDIA_ROOT) == []
    assert files_on_disk(settings.PHOTO_ORIGINALS_ROOT) == []


def test_command_exits_non_zero_and_reports_failures(world):
    with pytest.raises(CommandError, match="could not be imported"):
        run_import(SAMPLES / "bad" / "malformed.xml")


def test_unknown_section_is_a_clear_error(world):
    with pytest.raises(CommandError, match="no section"):
        run_import(SAMPLES / "nitf", "--section", "nowhere")


def second_delivery(tmp_path):
    """The agency sends the same story again, with a new headline."""
    folder = tmp_path / "v2"
    folder.mkdir()
    xml = (SAMPLES / "nitf" / "story.xml").read_text()
    (folder / "story.xml").write_text(xml.replace("Route 31 tram returns", "Route 31 tram is back"))
    shutil.copy(SAMPLES / "nitf" / "photo.jpg", folder / "photo.jpg")
    return folder


def test_reimport_updates_the_story_and_keeps_a_revision(tmp_path, world):
    run_import(SAMPLES / "nitf")
    story = Article.objects.get()
    summary = import_wire(second_delivery(tmp_path), section=world)
    assert summary.count(Outcome.UPDATED) == 1
    story.refresh_from_db()
    assert "Route 31 tram is back" in story.headline
    assert Article.objects.count() == 1 and Photo.objects.count() == 1
    assert Version.objects.get_for_object(story).count() == 2


def test_reimport_after_local_edits_keeps_the_editors_text(tmp_path, world):
    run_import(SAMPLES / "nitf")
    story = Article.objects.get()
    story.headline = "Editors' sharper headline"
    story.save()
    summary = import_wire(second_delivery(tmp_path), section=world)
    assert summary.count(Outcome.KEPT_LOCAL_EDITS) == 1
    assert "their text stays" in summary.results[0].message
    story.refresh_from_db()
    assert story.headline == "Editors' sharper headline"
    latest = Version.objects.get_for_object(story).first()
    assert "Route 31 tram is back" in latest.field_dict["headline"]


def test_admin_import_page_imports_a_zip_and_links_the_story(client, editor, world, tmp_path):
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(SAMPLES / "nitf" / "story.xml", "story.xml")
        archive.write(SAMPLES / "nitf" / "photo.jpg", "photo.jpg")
        archive.writestr("broken.xml", "<nitf><head>")
    url = reverse("admin:articles_article_import_wire")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"file": SimpleUploadedFile("delivery.zip", bundle.getvalue()), "section": world.pk},
        follow=True,
    )
    html = response.content.decode()
    story = Article.objects.get()
    job = WireImport.objects.get()
    assert response.redirect_chain == [(job.get_absolute_url(), 302)]
    assert job.status == WireImport.Status.DONE and not job.file  # the upload is not kept
    assert 'http-equiv="refresh"' not in html
    assert reverse("admin:articles_article_change", args=[story.pk]) in html
    assert "1 imported" in html and "1 failed" in html
    assert "not well-formed XML" in html
    assert story.lead_photo.uploaded_by == editor


def test_admin_import_result_page_waits_for_the_worker(client, editor, world, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    response = client.post(
        reverse("admin:articles_article_import_wire"),
        {
            "file": SimpleUploadedFile("story.xml", (SAMPLES / "nitf" / "story.xml").read_bytes()),
            "section": world.pk,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Waiting for the worker" in html and 'http-equiv="refresh" content="3"' in html
    assert not Article.objects.exists()

    run_wire_import.call(WireImport.objects.get().pk)  # what the worker does

    html = client.get(response.redirect_chain[-1][0]).content.decode()
    # A lone XML file whose photo did not come along: the result says so.
    assert "1 failed" in html and "“photo.jpg” it refers to is missing" in html
    assert 'http-equiv="refresh"' not in html


def test_wire_import_result_is_not_shown_to_other_reporters(client, world):
    job = WireImport.objects.create(filename="d.zip", section=world, requested_by=UserFactory(username="ann"))
    reporter = UserFactory(username="riley", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    client.force_login(reporter)

    assert client.get(job.get_absolute_url()).status_code == 403


def test_admin_import_rejects_other_file_types_in_words(client, editor, world):
    response = client.post(
        reverse("admin:articles_article_import_wire"),
        {"file": SimpleUploadedFile("story.docx", b"PK..."), "section": world.pk},
    )
    assert "Upload an .xml file or a .zip." in response.content.decode()
    assert not Article.objects.exists()


def test_reporters_import_for_review_only(client, world):
    reporter = UserFactory(username="riley", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    client.force_login(reporter)
    url = reverse("admin:articles_article_import_wire")
    assert 'name="publish"' not in client.get(url).content.decode()
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(SAMPLES / "nitf" / "story.xml", "story.xml")
        archive.write(SAMPLES / "nitf" / "photo.jpg", "photo.jpg")
    client.post(
        url, {"file": SimpleUploadedFile("d.zip", bundle.getvalue()), "section": world.pk, "publish": "on"}
    )
    assert Article.objects.get().status == "review"


def test_reimport_keeps_the_tags_bylines_and_photo_editors_chose(tmp_path, world):
    run_import(SAMPLES / "nitf")
    story = Article.objects.get()
    story.tags.add("Editors pick")
    extra = Contributor.objects.create(name="Desk Editor")
    story.bylines.create(contributor=extra, role="by", position=5)
    chosen = PhotoFactory()
    Article.objects.filter(pk=story.pk).update(lead_photo=chosen)
    summary = import_wire(second_delivery(tmp_path), section=world)
    assert summary.count(Outcome.UPDATED) == 1
    story.refresh_from_db()
    assert "Editors pick" in story.tags.names() and "Trams" in story.tags.names()
    assert {b.contributor.name for b in story.bylines.all()} == {
        "José Müller",
        "Zoë Łukasiewicz",
        "Desk Editor",
    }
    assert story.lead_photo == chosen


def test_reporters_cannot_change_a_published_story_through_the_wire(tmp_path, world):
    run_import(SAMPLES / "nitf", "--publish")
    reporter = UserFactory(username="riley", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    summary = import_wire(second_delivery(tmp_path), section=world, by=reporter)
    assert summary.count(Outcome.KEPT_LOCAL_EDITS) == 1
    assert "Only an editor" in summary.results[0].message
    assert Article.objects.get().headline == NITF_HEADLINE


def test_failed_story_leaves_none_of_its_photo_files(tmp_path, settings, world):
    folder = tmp_path / "batch"
    folder.mkdir()
    xml = (SAMPLES / "nitf" / "story.xml").read_text()
    second_photo = (
        '<media media-type="image"><media-reference source="second.jpg" alternate-text="x"/>'
        "<media-caption>Second.</media-caption><media-producer>A / B</media-producer></media>"
    )
    (folder / "story.xml").write_text(xml.replace("</body.content>", second_photo + "</body.content>"))
    shutil.copy(SAMPLES / "nitf" / "photo.jpg", folder / "photo.jpg")
    (folder / "second.jpg").write_text("not an image")
    summary = import_wire(folder, section=world)
    assert summary.failed == 1
    assert not Photo.objects.exists()
    assert files_on_disk(settings.MEDIA_ROOT) == []
    assert files_on_disk(settings.PHOTO_ORIGINALS_ROOT) == []


def test_wire_photo_wider_than_every_rendition_imports(tmp_path, world):
    """A 3000-px agency photo used to hit the rendition unique constraint."""
    from PIL import Image

    bundle = tmp_path / "delivery.zip"
    picture = io.BytesIO()
    Image.new("RGB", (3000, 2000), "teal").save(picture, "JPEG")
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(SAMPLES / "nitf" / "story.xml", "story.xml")
        archive.writestr("photo.jpg", picture.getvalue())

    run_import(bundle)

    photo = Article.objects.get().lead_photo
    assert (photo.width, photo.height) == (3000, 2000)
    assert max(photo.renditions.values_list("width", flat=True)) == 2560
