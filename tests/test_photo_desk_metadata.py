"""The photo desk's upload page fills caption, credit and the rest from the file's IPTC, XMP
and EXIF metadata, and what the uploader types wins.

Real image files (built by tests/imagefiles.py) are POSTed to the upload view.
"""

import datetime

import pytest
from django.urls import reverse

from articles.models import Photo
from tests import imagefiles as files
from tests.photo_desk import upload

pytestmark = pytest.mark.django_db


# --- metadata -------------------------------------------------------------------------------------


def test_iptc_fills_the_empty_fields(desk):
    data = files.jpeg(
        iptc={
            files.CAPTION_ABSTRACT: "Flood water reaches the steps of the town hall.",
            files.OBJECT_NAME: "Town hall flood",
            files.BY_LINE: "Ana Lima",
            files.CREDIT: "Ana Lima / Wire Agency",
            files.SOURCE: "Wire Agency",
            files.COPYRIGHT_NOTICE: "© Wire Agency 2024",
        }
    )

    upload(desk, ("flood.jpg", data))
    photo = Photo.objects.get()

    assert photo.caption == "Flood water reaches the steps of the town hall."
    assert photo.title == "Town hall flood"
    assert photo.photographer == "Ana Lima"
    assert photo.credit == "Ana Lima / Wire Agency"
    assert photo.source == "Wire Agency"
    assert photo.copyright_notice == "© Wire Agency 2024"


@pytest.mark.parametrize(("builder", "name"), [(files.jpeg, "dawn.jpg"), (files.png, "dawn.png")])
def test_xmp_fills_the_empty_fields(desk, builder, name):
    xmp = files.xmp_packet(
        description="Mist over the river at dawn.",
        creators=["Sam Okafor"],
        credit="Sam Okafor / Riverside Press",
    )

    upload(desk, (name, builder(xmp=xmp)))
    photo = Photo.objects.get()

    assert (photo.caption, photo.photographer, photo.credit) == (
        "Mist over the river at dawn.",
        "Sam Okafor",
        "Sam Okafor / Riverside Press",
    )


def test_exif_fills_the_empty_fields(desk):
    exif = files.exif_block(
        description="Runners at the start line.",
        artist="Lee Park",
        copyright="© Lee Park".encode(),
        taken_at="2024:05:01 14:30:00",
        offset="+02:00",
    )

    upload(desk, ("marathon.jpg", files.jpeg(exif=exif)))
    photo = Photo.objects.get()

    assert (photo.caption, photo.photographer, photo.copyright_notice) == (
        "Runners at the start line.",
        "Lee Park",
        "© Lee Park",
    )
    assert photo.taken_at == datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)


def test_what_the_user_types_wins_over_the_file(desk):
    data = files.jpeg(
        iptc={files.BY_LINE: "Ana Lima", files.CREDIT: "Wire Agency", files.SOURCE: "Wire Agency"},
        exif=files.exif_block(artist="Somebody Else"),
    )

    upload(
        desk,
        ("flood.jpg", data),
        photographer="Jo Staff",
        source="The Newsroom",
        credit="Jo Staff / The Newsroom",
    )
    photo = Photo.objects.get()

    assert (photo.photographer, photo.source, photo.credit) == (
        "Jo Staff",
        "The Newsroom",
        "Jo Staff / The Newsroom",
    )


def test_typed_fields_apply_to_every_file_and_the_file_fills_the_rest(desk):
    tagged = files.jpeg(iptc={files.CAPTION_ABSTRACT: "From the file.", files.CREDIT: "File credit"})

    upload(desk, ("a.jpg", tagged), ("b.png", files.png()), source="Continental Press")
    a, b = Photo.objects.order_by("pk")

    assert (a.source, a.caption, a.credit) == ("Continental Press", "From the file.", "File credit")
    assert (b.source, b.caption, b.credit) == ("Continental Press", "", "Continental Press")


def test_credit_is_composed_from_photographer_and_agency(desk):
    upload(desk, ("a.jpg", files.jpeg()), photographer="Jane Doe", source="Continental Press")

    assert Photo.objects.get().credit == "Jane Doe / Continental Press"


def test_credit_is_composed_from_the_files_byline_and_source(desk):
    upload(desk, ("a.jpg", files.jpeg(iptc={files.BY_LINE: "Ana Lima", files.SOURCE: "Wire Agency"})))

    assert Photo.objects.get().credit == "Ana Lima / Wire Agency"


@pytest.mark.parametrize(
    ("encoding", "declare_utf8", "caption", "byline"),
    [
        ("utf-8", True, "Zoë Saldaña opens the café in São Paulo — «merci»", "Jürgen Łukasz"),
        ("latin-1", False, "Zoë opens the café in Málaga", "Jürgen Müller"),
    ],
    ids=["utf-8", "latin-1"],
)
def test_iptc_text_comes_out_right_in_utf8_and_latin1(desk, encoding, declare_utf8, caption, byline):
    data = files.jpeg(
        iptc={files.CAPTION_ABSTRACT: caption, files.BY_LINE: byline},
        iptc_encoding=encoding,
        declare_utf8=declare_utf8,
    )

    upload(desk, ("cafe.jpg", data))
    photo = Photo.objects.get()

    assert (photo.caption, photo.photographer) == (caption, byline)
    assert caption in desk.get(reverse("photos:detail", args=[photo.pk])).content.decode()
