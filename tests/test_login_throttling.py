"""Failed logins are throttled per username and address (django-axes), on every login form."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
# /account/login/ is django-two-factor-auth's own address for the same form.
LOGIN_FORMS = ["/accounts/login/", "/account/login/"]


@pytest.fixture
def reporter():
    user = UserFactory(username="riley", is_staff=True)
    user.groups.add(Group.objects.get(name="Reporter"))
    return user


def log_in(client, url, username, password, address="203.0.113.7"):
    data = {"auth-username": username, "auth-password": password, "login_view-current_step": "auth"}
    return client.post(url, data, REMOTE_ADDR=address)


def logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, url, times, username="riley", address="203.0.113.7"):
    return [log_in(client, url, username, "wrong", address).status_code for _ in range(times)]


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_fifth_wrong_password_locks_with_a_clear_message(client, reporter, url):
    assert fail(client, url, 4) == [200] * 4
    locked = log_in(client, url, "riley", "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed logins" in html and "5 wrong passwords" in html and "15 minutes" in html


@pytest.mark.parametrize("url", LOGIN_FORMS)
def test_right_password_is_refused_while_locked(client, reporter, url):
    fail(client, url, 5)
    assert log_in(client, url, "riley", PASSWORD).status_code == 429
    assert not logged_in(client)


def test_admin_login_sends_passwords_to_the_one_throttled_form(client, reporter):
    response = client.post("/admin/login/?next=/admin/", {"username": "riley", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert not logged_in(client)
    fail(client, response["Location"], 5)
    assert log_in(client, response["Location"], "riley", PASSWORD).status_code == 429


def test_hundred_guesses_in_a_row_are_all_refused_after_the_limit(client, reporter):
    statuses = fail(client, "/accounts/login/", 100)
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}


def test_lock_is_per_username_and_address(client, reporter):
    UserFactory(username="edith", is_staff=True)
    fail(client, "/accounts/login/", 5)
    # The same person from another address, and a colleague from the same one, still log in.
    assert log_in(client, "/accounts/login/", "riley", PASSWORD, address="198.51.100.2").status_code == 302
    client.logout()
    assert log_in(client, "/accounts/login/", "edith", PASSWORD).status_code == 302


def test_lock_lifts_after_the_cool_off(client, reporter, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    fail(client, "/accounts/login/", 5)
    time_machine.shift(datetime.timedelta(minutes=14))
    assert log_in(client, "/accounts/login/", "riley", PASSWORD).status_code == 429
    time_machine.shift(datetime.timedelta(minutes=16))
    assert log_in(client, "/accounts/login/", "riley", PASSWORD).status_code == 302
    assert logged_in(client)


def test_limit_and_cool_off_come_from_settings(client, reporter, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=45)
    assert fail(client, "/accounts/login/", 1) == [200]
    locked = log_in(client, "/accounts/login/", "riley", "wrong")
    assert locked.status_code == 429 and "45 minutes" in locked.content.decode()


def test_a_successful_login_resets_the_count(client, reporter):
    fail(client, "/accounts/login/", 4)
    assert log_in(client, "/accounts/login/", "riley", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "/accounts/login/", 4) == [200] * 4


def test_editor_unlocks_an_account_from_the_admin(client, reporter):
    fail(client, "/accounts/login/", 5)
    editor = UserFactory(username="edith", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    attempts = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200 and "riley" in attempts.content.decode()
    (attempt,) = attempts.context["cl"].result_list
    delete_url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    client.logout()
    assert log_in(client, "/accounts/login/", "riley", PASSWORD).status_code == 302


def test_reporters_cannot_see_or_clear_access_attempts(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
