"""Renditions: the template tags public pages use, making them once, and regenerating them."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from articles.models import Photo, Rendition
from articles.photos.imaging import RENDITION_WIDTHS
from articles.photos.pipeline import create_photo, make_renditions, rendition_plan
from articles.templatetags.photos import rendition, rendition_url
from tests import imagefiles

pytestmark = pytest.mark.django_db

SMALL = (400, 300)


def render(source, **context):
    return Template("{% load photos %}" + source).render(Context(context))


def attribute(html, name, tag="img"):
    match = re.search(rf"<{tag}\b[^>]*\s{name}=\"([^\"]*)\"", html)
    return match[1] if match else None


@pytest.fixture
def photo(photo_factory):
    return photo_factory(size=(1000, 600), alt_text="Fog over the harbour at dawn.")


def test_responsive_photo_has_webp_source_and_jpeg_srcset(photo):
    html = render('{% responsive_photo photo sizes="(min-width: 60em) 50vw, 100vw" %}', photo=photo)

    assert html.startswith('<picture><source type="image/webp"')
    webp = attribute(html, "srcset", tag="source")
    jpeg = attribute(html, "srcset")
    assert [entry.split()[1] for entry in webp.split(", ")] == ["320w", "640w", "960w", "1000w"]
    assert [entry.split()[1] for entry in jpeg.split(", ")] == ["320w", "640w", "960w", "1000w"]
    assert all(entry.split()[0].endswith(".webp") for entry in webp.split(", "))
    assert all(entry.split()[0].endswith(".jpg") for entry in jpeg.split(", "))
    assert attribute(html, "sizes") == "(min-width: 60em) 50vw, 100vw"


def test_responsive_photo_img_has_middle_rendition_size_and_lazy_loading(photo):
    html = render("{% responsive_photo photo %}", photo=photo)
    middle = photo.renditions.get(format="jpeg", square=False, width=640)

    assert attribute(html, "src") == middle.file.url
    assert (attribute(html, "width"), attribute(html, "height")) == ("640", "384")
    assert attribute(html, "alt") == "Fog over the harbour at dawn."
    assert attribute(html, "loading") == "lazy"
    assert attribute(html, "decoding") == "async"
    assert "fetchpriority" not in html
    assert "class=" not in html


def test_lead_photo_is_not_lazy_and_has_high_priority(photo):
    html = render('{% responsive_photo photo lazy=False css_class="lead" alt="" %}', photo=photo)

    assert "loading=" not in html
    assert attribute(html, "fetchpriority") == "high"
    assert attribute(html, "class") == "lead"
    assert attribute(html, "alt") == ""


def test_responsive_photo_escapes_alt_text(photo_factory):
    photo = photo_factory(size=SMALL, alt_text='A "quoted" <b>sign</b>')

    html = render("{% responsive_photo photo %}", photo=photo)

    assert 'alt="A &quot;quoted&quot; &lt;b&gt;sign&lt;/b&gt;"' in html


def test_responsive_photo_falls_back_to_master_without_renditions(photo):
    photo.renditions.all().delete()

    html = render("{% responsive_photo photo %}", photo=photo)

    assert "<source" not in html
    assert attribute(html, "src") == photo.image.url
    assert (attribute(html, "width"), attribute(html, "height")) == ("1000", "600")


@pytest.mark.parametrize(
    "tag",
    ["{% responsive_photo photo %}", "{% square_photo photo %}", '{{ photo|rendition_url:"640" }}'],
)
def test_tags_render_nothing_for_no_photo(tag):
    assert render(tag, photo=None) == ""


@pytest.mark.parametrize(
    "tag",
    ["{% responsive_photo photo %}", "{% square_photo photo %}", '{{ photo|rendition_url:"640" }}'],
)
def test_tags_render_nothing_for_photo_with_expired_rights(photo, tag):
    photo.rights_expire_on = timezone.localdate() - datetime.timedelta(days=1)

    assert render(tag, photo=photo) == ""
    assert rendition(photo, "640") is None


def test_photo_shows_on_its_last_day_of_rights(photo):
    photo.rights_expire_on = timezone.localdate()

    assert "<picture>" in render("{% responsive_photo photo %}", photo=photo)


def test_square_photo_picks_rendition_at_least_the_size(photo):
    html = render('{% square_photo photo size=200 css_class="headshot" %}', photo=photo)
    squares = {r.width: r for r in photo.renditions.filter(square=True, format="jpeg")}

    assert sorted(squares) == [160, 480]
    assert attribute(html, "src") == squares[480].file.url
    assert attribute(html, "srcset") == f"{squares[160].file.url} 160w, {squares[480].file.url} 480w"
    assert attribute(html, "sizes") == "200px"
    assert (attribute(html, "width"), attribute(html, "height")) == ("200", "200")
    assert attribute(html, "loading") == "lazy"
    assert attribute(html, "class") == "headshot"
    assert attribute(html, "alt") == photo.alt_text


def test_square_photo_falls_back_to_cropped_master(photo):
    photo.renditions.all().delete()

    html = render("{% square_photo photo size=96 %}", photo=photo)

    assert attribute(html, "src") == photo.image.url
    assert (attribute(html, "width"), attribute(html, "height")) == ("96", "96")
    # Cropped by a class, not a style attribute: the Content-Security-Policy forbids those.
    assert "photo-square" in attribute(html, "class").split() and "style=" not in html


def test_rendition_filter_returns_narrowest_jpeg_at_least_that_wide(photo):
    chosen = rendition(photo, "700")

    assert (chosen.format, chosen.square, chosen.width, chosen.height) == ("jpeg", False, 960, 576)
    assert render('{{ photo|rendition_url:"700" }}', photo=photo) == chosen.file.url


def test_rendition_filter_gives_widest_when_asked_for_more(photo):
    assert rendition(photo, "1280").width == 1000
    assert render(
        '{% with r=photo|rendition:"1280" %}{{ r.width }}x{{ r.height }}{% endwith %}', photo=photo
    ) == ("1000x600")


def test_rendition_url_falls_back_to_master(photo):
    photo.renditions.all().delete()

    assert rendition_url(photo, "640") == photo.image.url
    assert rendition(photo, "640") is None


def test_tags_add_no_queries_for_prefetched_photos(photo_factory, django_assert_num_queries):
    for n in range(10):
        photo_factory(size=(320 + n, 240))
    template = Template(
        "{% load photos %}{% for photo in photos %}{% responsive_photo photo %}"
        '{% square_photo photo %}{{ photo|rendition_url:"640" }}{% endfor %}'
    )

    photos = list(Photo.objects.prefetch_related("renditions"))

    with django_assert_num_queries(0):
        html = template.render(Context({"photos": photos}))

    assert html.count("<picture>") == 10


# --- making renditions ---------------------------------------------------------------------------


def test_renditions_are_never_upscaled(photo_factory):
    photo = photo_factory(size=SMALL)

    plan = sorted(photo.renditions.values_list("format", "square", "width", "height"))

    assert plan == [
        ("jpeg", False, 320, 240),
        ("jpeg", False, 400, 300),
        ("jpeg", True, 160, 160),
        ("jpeg", True, 300, 300),
        ("webp", False, 320, 240),
        ("webp", False, 400, 300),
        ("webp", True, 160, 160),
        ("webp", True, 300, 300),
    ]


def test_rendition_files_are_named_from_the_content_hash(photo):
    for item in photo.renditions.all():
        assert item.file.name.startswith(f"renditions/{photo.sha256}-")


def test_renditions_are_made_once_and_reused(photo):
    before = {r.pk: r.file.name for r in photo.renditions.all()}

    assert make_renditions(photo) == []
    assert {r.pk: r.file.name for r in photo.renditions.all()} == before


def test_make_renditions_fills_in_missing_ones(photo):
    photo.renditions.filter(width=320).delete()

    written = make_renditions(photo)

    assert len(written) == 2
    assert photo.renditions.filter(width=320).count() == 2


def test_forced_regeneration_replaces_files(photo, media_storage):
    old_files = [r.file.name for r in photo.renditions.all()]

    make_renditions(photo, force=True)

    assert photo.renditions.count() == len(old_files)
    on_disk = {
        p.relative_to(media_storage / "media").as_posix() for p in media_storage.glob("media/renditions/*")
    }
    assert on_disk == {r.file.name for r in photo.renditions.all()}


def _red_share(image):
    """How much of the picture is the red marker block."""
    pixels = image.convert("RGB").get_flattened_data()
    return sum(1 for r, g, b in pixels if r > 200 and g < 80 and b < 80) / len(pixels)


def test_focal_point_moves_the_square_crop():
    # Red block in the top-right corner of a wide picture: a centre crop misses it entirely.
    data = imagefiles.jpeg(imagefiles.marked_picture(800, 200, corner="top-right"), quality=95)
    photo = create_photo(file=SimpleUploadedFile("wide.jpg", data))
    square = photo.renditions.get(square=True, format="jpeg", width=160)
    with square.file.open("rb") as f:
        assert _red_share(Image.open(io.BytesIO(f.read()))) == 0

    photo.focal_x, photo.focal_y = 0.95, 0.1
    photo.save()
    make_renditions(photo, force=True)

    square = photo.renditions.get(square=True, format="jpeg", width=160)
    with square.file.open("rb") as f:
        assert _red_share(Image.open(io.BytesIO(f.read()))) > 0.15


# --- regenerate_renditions -----------------------------------------------------------------------


def test_regenerate_makes_only_missing_renditions(photo_factory):
    first, second = photo_factory(size=SMALL), photo_factory(size=SMALL)
    first.renditions.all().delete()
    kept = set(second.renditions.values_list("pk", flat=True))
    out = io.StringIO()

    call_command("regenerate_renditions", stdout=out, stderr=io.StringIO())

    assert first.renditions.count() == 8
    assert set(second.renditions.values_list("pk", flat=True)) == kept
    assert "8 renditions written for 2 photos" in out.getvalue()


def test_regenerate_force_remakes_only_named_photos(photo_factory):
    first, second = photo_factory(size=SMALL), photo_factory(size=SMALL)
    old_first = set(first.renditions.values_list("pk", flat=True))
    old_second = set(second.renditions.values_list("pk", flat=True))

    call_command(
        "regenerate_renditions",
        "--force",
        "--photo",
        str(first.pk),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    assert set(first.renditions.values_list("pk", flat=True)).isdisjoint(old_first)
    assert first.renditions.count() == 8
    assert set(second.renditions.values_list("pk", flat=True)) == old_second


def test_regenerate_reports_unknown_photo_ids(photo_factory):
    photo = photo_factory(size=SMALL)

    with pytest.raises(CommandError, match="No photo with id 999999"):
        call_command("regenerate_renditions", "--photo", str(photo.pk), "999999", stdout=io.StringIO())


def test_rendition_rows_unique_per_photo_width_format(photo):
    existing = photo.renditions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rendition.objects.create(
            photo=photo,
            file=existing.file.name,
            format=existing.format,
            square=existing.square,
            width=existing.width,
            height=existing.height,
        )


@pytest.mark.parametrize("width", [2559, 2560, 2561, 3000, 4096])
def test_rendition_plan_lists_each_width_once_up_to_the_widest(width):
    plan = rendition_plan(Photo(width=width, height=2000))

    assert len(plan) == len(set(plan))
    assert [w for w, square in plan if not square] == sorted({min(w, width) for w in RENDITION_WIDTHS})


def test_photo_wider_than_the_widest_rendition_gets_every_rendition_once(photo_factory):
    photo = photo_factory(size=(3000, 2000))

    widths = sorted(photo.renditions.filter(format="jpeg", square=False).values_list("width", flat=True))
    assert widths == list(RENDITION_WIDTHS)
    assert photo.renditions.count() == 2 * (len(RENDITION_WIDTHS) + 2)


def test_regenerate_processes_a_failed_photo_from_its_original(photo_factory):
    photo = photo_factory(size=SMALL)
    photo.renditions.all().delete()
    photo.image.delete(save=False)
    Photo.objects.filter(pk=photo.pk).update(
        status=Photo.Status.FAILED, image="", processing_error="Disk full"
    )

    call_command("regenerate_renditions", stdout=io.StringIO(), stderr=io.StringIO())

    photo.refresh_from_db()
    assert (photo.status, photo.processing_error) == (Photo.Status.READY, "")
    assert photo.image and photo.renditions.count() == 8


def test_processing_photo_is_held_back_from_public_pages(photo):
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING)
    photo.refresh_from_db()

    assert not photo.is_public
    assert (
        render(
            '{% responsive_photo photo %}{% square_photo photo %}{{ photo|rendition_url:"640" }}', photo=photo
        )
        == ""
    )
    assert rendition(photo, "640") is None


def test_staff_see_a_processing_placeholder(photo):
    Photo.objects.filter(pk=photo.pk).update(status=Photo.Status.PROCESSING)
    photo.refresh_from_db()

    html = render("{% square_photo photo show_expired=True %}", photo=photo)

    assert f'data-photo-status="{photo.pk}"' in html and "Processing…" in html and "<img" not in html


def test_regenerate_force_purges_the_pages_showing_the_photos(
    photo_factory, django_capture_on_commit_callbacks
):
    from articles.caching import generation

    photo_factory(size=SMALL)
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_renditions", "--force", stdout=io.StringIO(), stderr=io.StringIO())
    assert generation.current() > before  # kept pages and cards stop pointing at deleted files
