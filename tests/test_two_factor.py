"""Two-factor sign-in for staff: enrolment with a TOTP app, codes at login, backup codes, policy."""

import base64
import datetime
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ArticleFactory, PhotoFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SETUP = "/account/two_factor/setup/"


@pytest.fixture(autouse=True)
def editors_must_use_a_second_factor(settings, time_machine):
    settings.NEWSROOM_2FA_REQUIRED_GROUPS = ["Editor"]
    # Each code is accepted once: tests move the clock to the next 30-second step between logins.
    time_machine.move_to(timezone.now(), tick=False)


def current_code(device):
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)


def enrol(client, next_url=""):
    """Walk the enrolment wizard as a person with an authenticator app does; return the device."""
    url = SETUP + (f"?next={next_url}" if next_url else "")
    assert client.get(url).status_code == 200
    step = client.post(url, {"setup_view-current_step": "welcome"})
    assert step.status_code == 200 and step.context["wizard"]["steps"].current == "generator"
    key = base64.b32decode(step.context["secret_key"])
    assert client.get(step.context["QR_URL"])["Content-Type"].startswith("image/svg+xml")
    code = str(totp(key)).zfill(6)
    done = client.post(url, {"setup_view-current_step": "generator", "generator-token": code})
    assert done.status_code == 302, done.context and done.context["wizard"]["form"].errors
    return done


def password_step(client, username, next_url="/admin/"):
    return client.post(
        f"/accounts/login/?next={next_url}",
        {"auth-username": username, "auth-password": PASSWORD, "login_view-current_step": "auth"},
    )


# --- enrolment ---------------------------------------------------------------------------------


def test_editor_without_a_device_is_sent_to_enrolment_from_the_admin(client):
    client.force_login(staff_user("edith", "Editor"))
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=%2Fadmin%2F"
    assert "Enable Two-Factor Authentication" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/photos/", "/photos/upload/", "/photos/{photo}/", "/photos/{photo}/original/"]
)
def test_photo_desk_asks_editors_for_the_second_factor_too(client, path):
    photo = PhotoFactory()
    client.force_login(staff_user("edith", "Editor"))
    path = path.format(photo=photo.pk)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(SETUP + "?next=")


def test_staff_preview_asks_for_the_second_factor(client):
    story = ArticleFactory(draft=True)
    client.force_login(staff_user("edith", "Editor"))
    response = client.get(reverse("articles:preview", args=[story.pk]))
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_editor_enrols_with_a_real_totp_code_and_gets_in(client):
    editor = staff_user("edith", "Editor")
    client.force_login(editor)
    done = enrol(client, next_url="/admin/")
    assert done["Location"] == "/admin/"
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get("/photos/").status_code == 200


def test_a_wrong_code_does_not_enrol(client):
    editor = staff_user("edith", "Editor")
    client.force_login(editor)
    client.post(SETUP, {"setup_view-current_step": "welcome"})
    wrong = client.post(SETUP, {"setup_view-current_step": "generator", "generator-token": "000000"})
    assert wrong.status_code == 200 and wrong.context["wizard"]["form"].errors
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert client.get("/admin/").status_code == 302


def test_backup_codes_are_made_on_the_account_page_and_each_works_once(client, time_machine):
    editor = staff_user("edith", "Editor")
    client.force_login(editor)
    enrol(client)
    profile = client.get(reverse("two_factor:profile"))
    assert profile.status_code == 200 and reverse("two_factor:backup_tokens") in profile.content.decode()
    page = client.post(reverse("two_factor:backup_tokens"))
    codes = [token.token for token in StaticToken.objects.filter(device__user=editor)]
    assert len(codes) == 10
    assert all(code in client.get(page["Location"]).content.decode() for code in codes)
    client.logout()

    fresh = Client()
    assert password_step(fresh, "edith").context["wizard"]["steps"].current == "token"
    used = fresh.post(
        "/accounts/login/?next=/admin/", {"login_view-current_step": "backup", "backup-otp_token": codes[0]}
    )
    assert used.status_code == 302 and used["Location"] == "/admin/"
    assert fresh.get("/admin/").status_code == 200
    fresh.logout()

    again = Client()
    password_step(again, "edith")
    refused = again.post(
        "/accounts/login/?next=/admin/", {"login_view-current_step": "backup", "backup-otp_token": codes[0]}
    )
    assert refused.status_code == 200 and refused.context["wizard"]["form"].errors
    assert again.get("/admin/").status_code == 302


# --- logging in ---------------------------------------------------------------------------------


def test_enrolled_editor_logs_in_with_password_then_code(client, time_machine):
    editor = staff_user("edith", "Editor")
    device = TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    step = password_step(client, "edith")
    assert step.status_code == 200 and step.context["wizard"]["steps"].current == "token"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login_view-current_step": "token", "token-otp_token": current_code(device)},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_or_replayed_code_is_refused(client, time_machine):
    editor = staff_user("edith", "Editor")
    device = TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    password_step(client, "edith")
    wrong = client.post("/accounts/login/", {"login_view-current_step": "token", "token-otp_token": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    # django-otp makes each failure wait longer before the next try is checked.
    time_machine.shift(datetime.timedelta(seconds=2))
    code = current_code(device)
    assert (
        client.post(
            "/accounts/login/", {"login_view-current_step": "token", "token-otp_token": code}
        ).status_code
        == 302
    )
    client.logout()
    other = Client()
    password_step(other, "edith")
    replay = other.post("/accounts/login/", {"login_view-current_step": "token", "token-otp_token": code})
    assert replay.status_code == 200 and "_auth_user_id" not in other.session


def test_signed_in_but_unverified_editor_with_a_device_is_asked_for_a_code(client):
    editor = staff_user("edith", "Editor")
    TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    client.force_login(editor)
    response = client.get("/photos/")
    assert response.status_code == 302 and response["Location"].startswith("/account/login/?next=")


def test_admin_login_form_cannot_skip_the_code(client):
    editor = staff_user("edith", "Editor")
    TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    response = client.post("/admin/login/", {"username": "edith", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


# --- who must use it ------------------------------------------------------------------------------


def test_staff_outside_the_required_groups_work_without_a_second_factor(client):
    client.force_login(staff_user("riley", "Reporter"))
    assert client.get("/admin/").status_code == 200
    client.force_login(staff_user("pat", "Photo editor"))
    assert client.get("/photos/").status_code == 200


def test_staff_outside_the_required_groups_may_enrol_and_are_then_asked_for_codes(client):
    reporter = staff_user("riley", "Reporter")
    client.force_login(reporter)
    enrol(client)
    client.logout()
    assert password_step(client, "riley").context["wizard"]["steps"].current == "token"


def test_superusers_count_as_members_of_the_required_groups(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_required_groups_come_from_the_setting(client, settings):
    settings.NEWSROOM_2FA_REQUIRED_GROUPS = ["Editor", "Photo editor"]
    client.force_login(staff_user("pat", "Photo editor"))
    assert client.get("/photos/")["Location"].startswith(SETUP)
    settings.NEWSROOM_2FA_REQUIRED_GROUPS = []
    client.force_login(staff_user("edith", "Editor"))
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("value", "groups"), [(None, ["Editor"]), ("", []), ("Editor, Reporter", ["Editor", "Reporter"])]
)
def test_editors_must_use_it_unless_the_environment_says_otherwise(value, groups):
    env = {k: v for k, v in os.environ.items() if k != "NEWSROOM_2FA_REQUIRED_GROUPS"}
    env.update(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="news.example.org",
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    if value is not None:
        env["NEWSROOM_2FA_REQUIRED_GROUPS"] = value
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.NEWSROOM_2FA_REQUIRED_GROUPS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == repr(groups)
