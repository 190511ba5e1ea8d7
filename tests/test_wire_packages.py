"""NewsML-G2 packages arrive whole, and wire stories are filed by their subjects."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

from articles.models import Article, Photo, WireSubjectRule
from articles.wire.common import WireStory, WireSubject
from articles.wire.filing import file_story
from articles.wire.importer import Outcome, import_wire
from articles.wire.sources import iter_wire_sources, parse_wire_file
from tests.factories import SectionFactory, UserFactory

SAMPLES = Path(__file__).parent / "wire_samples"
PACKAGE = SAMPLES / "package"
NITF = SAMPLES / "nitf"


@pytest.fixture
def national(db):
    # The first section: where the importer files stories by default.
    return SectionFactory(name="National", slug="national", position=0)


@pytest.fixture
def sport(db):
    return SectionFactory(name="Sport", slug="sport", position=5)


def delivery_zip(folder):
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
    return bundle.getvalue()


# --- reading packages ----------------------------------------------------------------------


def test_package_takes_its_item_files_so_they_are_not_read_twice():
    labels = [label for label, _load in iter_wire_sources(PACKAGE)]
    assert labels == ["package.xml"]


def test_package_gives_the_text_with_its_pictures_in_package_order():
    [story] = parse_wire_file(PACKAGE / "package.xml")
    assert story.headline == "Harbor City opens its season with a rebuilt bullpen"
    assert story.external_id == "urn:newsml:continentalpress.example:20270402:bos-opener"
    assert [photo.path.name for photo in story.photos] == [
        "ballpark-night.jpg",  # named by href, first in the package
        "ballpark-day.jpg",
        "ballpark-dusk.jpg",
    ]
    assert story.photos[2].is_file_photo and story.photos[2].caption.startswith("Fans queue")


def test_package_subjects_keep_codes_names_and_broader_topics():
    [story] = parse_wire_file(PACKAGE / "package.xml")
    assert story.subjects == [
        WireSubject("medtop:20000822", "baseball"),
        WireSubject("medtop:15000000", "sport"),
    ]
    assert story.keywords[:2] == ["Harbor City Gulls", "Opening day"]


def test_package_naming_a_missing_picture_fails_in_words(tmp_path):
    folder = tmp_path / "delivery"
    shutil.copytree(PACKAGE, folder)
    (folder / "ballpark-day.xml").unlink()
    [(label, load)] = list(iter_wire_sources(folder))
    with pytest.raises(ValueError, match="bos-opener-day”, which is not in the delivery"):
        load()


def test_nitf_subject_codes_are_read_with_their_top_level(tmp_path):
    story_xml = (NITF / "story.xml").read_text()
    subject = (
        '<tobject tobject.type="news"><tobject.subject tobject.subject.refnum="15007000" '
        'tobject.subject.type="Sport" tobject.subject.matter="baseball"/></tobject>'
    )
    (tmp_path / "story.xml").write_text(story_xml.replace("<docdata>", subject + "<docdata>", 1))
    [story] = parse_wire_file(tmp_path / "story.xml")
    assert story.subjects == [WireSubject("subj:15007000", "baseball"), WireSubject("subj:15000000", "Sport")]


# --- importing packages --------------------------------------------------------------------


@pytest.mark.django_db
def test_package_with_three_pictures_imports_a_lead_and_keeps_the_others(national, sport):
    summary = import_wire(PACKAGE)
    [result] = summary.results
    assert result.outcome == Outcome.IMPORTED
    story = result.article
    assert story.lead_photo.caption.startswith("Lights shine over Harbor Park")
    assert Photo.objects.count() == 3
    # The other two, in the package's order, are the story's lead gallery, not in its body.
    gallery = [item.photo for item in story.lead_gallery.items.all()]
    assert len(gallery) == 2 and story.lead_photo not in gallery
    assert "data-gallery-id" not in story.body
    assert set(Photo.objects.values_list("credit", flat=True)) == {
        "Lee Park / Continental Press",
        "Lee Park / Continental Press file",
    }


@pytest.mark.django_db
def test_package_in_a_zip_imports_the_same(client, national, sport):
    editor = UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_import_wire"),
        {"file": SimpleUploadedFile("delivery.zip", delivery_zip(PACKAGE)), "section": national.pk},
        follow=True,  # the import runs as a task; its result page lists what happened
    )
    html = response.content.decode()
    story = Article.objects.get()
    assert story.section == sport and story.lead_photo is not None
    assert "1 imported" in html and "0 failed" in html
    assert "Filed under Sport: subject medtop:15000000 (sport) matches the section name." in html


# --- filing by subject ---------------------------------------------------------------------


@pytest.mark.django_db
def test_baseball_preview_tagged_sport_lands_in_sport(national, sport):
    out = io.StringIO()
    call_command("import_wire", str(PACKAGE), stdout=out, verbosity=0)
    assert Article.objects.get().section == sport
    assert "Filed under Sport: subject medtop:15000000 (sport) matches the section name." in out.getvalue()


@pytest.mark.django_db
def test_keyword_rule_files_the_story_before_the_default(national):
    transport = SectionFactory(name="Transport", slug="transport")
    WireSubjectRule.objects.create(subject="trams", section=transport)
    [result] = import_wire(NITF, section=national).results
    assert result.article.section == transport
    assert result.message == "Filed under Transport: keyword “Trams” matches the rule “trams → Transport”."


@pytest.mark.django_db
def test_subject_code_rule_beats_a_section_named_like_the_subject(national, sport):
    baseball = SectionFactory(name="Baseball extra", slug="baseball-extra")
    WireSubjectRule.objects.create(subject="MEDTOP:20000822", section=baseball)
    [result] = import_wire(PACKAGE).results
    assert result.article.section == baseball
    assert "subject medtop:20000822 (baseball) matches the rule" in result.message


@pytest.mark.django_db
def test_story_no_rule_places_goes_to_the_chosen_default(national, sport):
    world = SectionFactory(name="World", slug="world")
    [result] = import_wire(NITF, section=world).results
    assert result.article.section == world
    assert result.message == (
        "Filed under World: no subject rule or section name matched, so the default section."
    )


@pytest.mark.django_db
def test_media_topic_code_alone_matches_through_the_iptc_table(national):
    business = SectionFactory(name="Business", slug="business")
    story = WireStory(subjects=[WireSubject("medtop:04000000", "")])
    filing = file_story(story, default=national)
    assert filing.section == business
    assert filing.reason == (
        "Filed under Business: subject medtop:04000000 (economy, business and finance), in part "
        "(“business”), matches the section name."
    )


@pytest.mark.django_db
def test_subject_name_may_match_a_section_slug_in_any_case(national):
    culture = SectionFactory(name="Arts & Culture", slug="culture")
    filing = file_story(WireStory(subjects=[WireSubject("", "Culture")]), default=national)
    assert filing.section == culture and filing.reason.endswith("matches the section slug.")


@pytest.mark.django_db
def test_updates_keep_the_section_editors_chose(national, sport):
    import_wire(PACKAGE)
    story = Article.objects.get()
    story.section = national
    story.save()
    [result] = import_wire(PACKAGE).results
    story.refresh_from_db()
    assert result.outcome == Outcome.UPDATED
    assert story.section == national


# --- the rules in the admin ----------------------------------------------------------------


@pytest.mark.django_db
def test_one_rule_per_subject_whatever_the_capitals(sport):
    WireSubjectRule.objects.create(subject="baseball", section=sport)
    with pytest.raises(IntegrityError):
        WireSubjectRule.objects.create(subject="Baseball", section=sport)


@pytest.mark.django_db
def test_editors_manage_subject_rules_and_reporters_do_not(client, sport):
    editor = UserFactory(username="eddie", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    add = reverse("admin:articles_wiresubjectrule_add")
    response = client.post(add, {"subject": " medtop:20000822 ", "section": sport.pk})
    assert response.status_code == 302
    assert WireSubjectRule.objects.get().subject == "medtop:20000822"
    duplicate = client.post(add, {"subject": "MEDTOP:20000822", "section": sport.pk})
    assert "There is already a rule for this subject." in duplicate.content.decode()

    reporter = UserFactory(username="riley", is_staff=True)
    reporter.groups.add(Group.objects.get(name="Reporter"))
    client.force_login(reporter)
    assert client.get(add).status_code == 403
