"""Mail settings come from the environment; a password reset mail arrives and its link works."""

import os
import re
import subprocess
import sys

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_mail_link_sets_a_new_password_that_logs_in(client, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "desk@news.example.org"
    UserFactory(username="riley", email="riley@news.example.org", is_staff=True)
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login

    response = client.post("/accounts/password_reset/", {"email": "riley@news.example.org"})
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["riley@news.example.org"] and mail.from_email == "desk@news.example.org"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body)[1]

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"}
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"

    login = client.post(
        "/accounts/login/",
        {
            "auth-username": "riley",
            "auth-password": "a new long passphrase 42",
            "login_view-current_step": "auth",
        },
    )
    assert login.status_code == 302 and "_auth_user_id" in client.session
    # The link works once.
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post("/accounts/password_reset/", {"email": "nobody@news.example.org"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []


def mail_settings(**env):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(repr((s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
        "s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.DEFAULT_FROM_EMAIL)))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEFAULT_FROM"))}
    base.update(
        SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example.org", DJANGO_SETTINGS_MODULE="newsroom.settings"
    )
    result = subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 — our own repr()


SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, (CONSOLE, "localhost", 25, "", "", False, False, "newsroom@localhost")),
        ({"DEBUG": "0"}, (SMTP, "localhost", 25, "", "", False, False, "newsroom@localhost")),
        (
            {"DEBUG": "0", "EMAIL_URL": "smtp+tls://desk%40news.example.org:p%40ss@mail.example.org:2587"},
            (
                SMTP,
                "mail.example.org",
                2587,
                "desk@news.example.org",
                "p@ss",
                True,
                False,
                "newsroom@localhost",
            ),
        ),
        (
            {"DEBUG": "1", "EMAIL_URL": "smtps://u:p@mail.example.org", "DEFAULT_FROM_EMAIL": "a@b.example"},
            (SMTP, "mail.example.org", 465, "u", "p", False, True, "a@b.example"),
        ),
        (
            {
                "DEBUG": "0",
                "EMAIL_HOST": "relay.example.org",
                "EMAIL_PORT": "587",
                "EMAIL_HOST_USER": "desk",
                "EMAIL_HOST_PASSWORD": "secret",
                "EMAIL_USE_TLS": "1",
            },
            (SMTP, "relay.example.org", 587, "desk", "secret", True, False, "newsroom@localhost"),
        ),
    ],
)
def test_mail_settings_come_from_the_environment(env, expected):
    assert mail_settings(**env) == expected
