"""The describe step and the credit readers see: one rule, used by the pipeline and every edit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Photo
from articles.photos.credits import compose_credit, credit_for_readers
from articles.photos.pipeline import create_photo
from tests import imagefiles as files

pytestmark = pytest.mark.django_db


def a_photo(**fields):
    upload = SimpleUploadedFile("photo.jpg", files.jpeg(files.picture(64, 48)), content_type="image/jpeg")
    return create_photo(file=upload, **fields)


def describe_data(photo, **changes):
    values = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "photographer": photo.photographer,
        "source": photo.source,
        "credit": photo.credit,
        "copyright_notice": photo.copyright_notice,
        "is_file_photo": photo.is_file_photo,
        **changes,
    }
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": photo.pk}
    data.update({f"form-0-{name}": value for name, value in values.items()})
    # A browser sends an unticked box not at all.
    if data.pop("form-0-is_file_photo", photo.is_file_photo):
        data["form-0-is_file_photo"] = "on"
    return data


def describe_url(photo):
    return reverse("photos:describe") + f"?ids={photo.pk}"


@pytest.mark.parametrize(
    ("photographer", "source", "is_file_photo", "credit"),
    [
        ("Jane Doe", "Agency", True, "Jane Doe / Agency file"),
        ("Jane Doe", "Agency", False, "Jane Doe / Agency"),
        ("", "Agency", True, "Agency file"),
        ("Jane Doe", "", True, "Jane Doe file"),
        ("", "", True, ""),
    ],
)
def test_built_credit_shows_the_file_flag(photographer, source, is_file_photo, credit):
    assert compose_credit(photographer, source, is_file_photo) == credit


def test_typed_credit_wins_over_the_built_one():
    typed = credit_for_readers(
        credit="Courtesy of the family", photographer="J", source="A", is_file_photo=True
    )
    assert typed == "Courtesy of the family"


def test_pipeline_builds_the_credit_with_the_file_flag():
    photo = a_photo(photographer="Susannah George", source="AP", is_file_photo=True)
    assert photo.credit == "Susannah George / AP file"


def test_describe_step_offers_every_field_staff_need(desk):
    photo = a_photo(photographer="Jane Doe", source="Agency")

    response = desk.get(describe_url(photo))

    form = response.context["formset"].forms[0]
    assert set(form.fields) >= {
        "caption", "alt_text", "credit", "photographer", "source", "is_file_photo", "copyright_notice"
    }
    html = response.content.decode()
    assert 'name="form-0-credit"' in html and 'value="Jane Doe / Agency"' in html
    line = "Readers see: <strong>Jane Doe / Agency</strong> (built from the photographer and the agency)"
    assert line in html


def test_ticking_file_photo_rebuilds_a_built_credit(desk):
    photo = a_photo(photographer="Jane Doe", source="Agency")

    response = desk.post(describe_url(photo), describe_data(photo, is_file_photo=True))

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.credit, photo.is_file_photo) == ("Jane Doe / Agency file", True)
    detail = desk.get(photo.get_absolute_url()).content.decode()
    assert "Readers see: <strong>Jane Doe / Agency file</strong>" in detail


def test_fixing_the_credit_on_the_describe_step_keeps_what_was_typed(desk):
    photo = a_photo(photographer="Jane Doe", source="Agency")
    data = describe_data(
        photo,
        credit="Jane Doe / Continental Press",
        copyright_notice="Single use only.",
        caption="A ferry at dawn.",
    )

    desk.post(describe_url(photo), data)

    photo.refresh_from_db()
    assert (photo.credit, photo.copyright_notice, photo.caption) == (
        "Jane Doe / Continental Press",
        "Single use only.",
        "A ferry at dawn.",
    )
    html = desk.get(photo.get_absolute_url()).content.decode()
    assert "Readers see: <strong>Jane Doe / Continental Press</strong> (the credit as typed)" in html


def test_typed_credit_is_kept_when_the_parts_change(desk):
    photo = a_photo(credit="Courtesy of the family", photographer="Jane Doe", source="Agency")

    desk.post(describe_url(photo), describe_data(photo, source="Other Agency", is_file_photo=True))

    photo.refresh_from_db()
    assert photo.credit == "Courtesy of the family"


def test_emptied_credit_is_built_from_the_parts(desk):
    photo = a_photo(credit="Courtesy of the family", photographer="Jane Doe", source="Agency")

    desk.post(describe_url(photo), describe_data(photo, credit="", is_file_photo=True))

    photo.refresh_from_db()
    assert photo.credit == "Jane Doe / Agency file"


def test_detail_page_edit_uses_the_same_rule(desk):
    photo = a_photo(photographer="Jane Doe", source="Agency")
    data = {
        "caption": "", "alt_text": "", "credit": photo.credit, "photographer": "Jane Doe",
        "source": "Agency", "is_file_photo": "on", "title": "", "copyright_notice": "",
        "rights_expire_on": "", "focal_x": "", "focal_y": "",
    }

    desk.post(photo.get_absolute_url(), data)

    photo.refresh_from_db()
    assert photo.credit == "Jane Doe / Agency file"


def test_credit_preview_script_is_a_static_file_on_every_desk_page(desk):
    photo = a_photo(photographer="Jane Doe", source="Agency")
    html = desk.get(describe_url(photo)).content.decode()
    assert 'src="/static/articles/js/credit-preview.js"' in html
    assert "data-credit-readers" in html and "<script>" not in html


def test_describe_page_sends_each_photos_id_with_its_fields(desk):
    photo = a_photo()
    html = desk.get(describe_url(photo)).content.decode()
    assert f'name="form-0-id" value="{photo.pk}"' in html


def test_describe_post_without_photo_ids_saves_nothing_and_says_so(desk):
    photo = a_photo(caption="Kept")
    data = describe_data(photo, caption="Lost")
    del data["form-0-id"]

    response = desk.post(describe_url(photo), data, follow=True)

    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    photo.refresh_from_db()
    assert photo.caption == "Kept"


def test_admin_photo_edit_uses_the_same_rule(client, editor):
    photo = a_photo(photographer="Jane Doe", source="Agency")
    data = {
        "caption": "", "alt_text": "", "credit": photo.credit, "photographer": "Jane Doe",
        "source": "Agency", "is_file_photo": "on", "title": "", "taken_at_0": "", "taken_at_1": "",
        "copyright_notice": "", "rights_expire_on": "", "focal_x": "", "focal_y": "",
    }

    response = client.post(reverse("admin:articles_photo_change", args=[photo.pk]), data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.credit == "Jane Doe / Agency file"


def test_a_new_photos_credit_from_its_file_is_kept_in_the_admin(client, editor):
    data = files.jpeg(files.picture(64, 48), iptc={files.CREDIT: "Continental Press / Pool"})
    upload = SimpleUploadedFile("pool.jpg", data, content_type="image/jpeg")
    form = {
        "image": upload, "caption": "", "alt_text": "", "credit": "", "photographer": "Jane Doe",
        "source": "", "title": "", "taken_at_0": "", "taken_at_1": "", "copyright_notice": "",
        "rights_expire_on": "",
    }

    response = client.post(reverse("admin:articles_photo_add"), form)

    assert response.status_code == 302
    assert Photo.objects.get().credit == "Continental Press / Pool"
