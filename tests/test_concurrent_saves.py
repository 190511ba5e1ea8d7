"""Eight editors save the same version of a story at once, over real HTTP: one wins, the rest
see the conflict page with their own text, and nobody gets a server error."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.models import Group

from articles.models import Article
from tests.admin_forms import article_form_data
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS = 8
PASSWORD = "correct horse battery staple"


class Session:
    """One editor's browser: cookies, and the CSRF token of the page last opened."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()

    def log_in(self, username):
        page = self.get("/accounts/login/")
        status, _ = self.post(
            "/accounts/login/?next=/admin/",
            {
                "auth-username": username,
                "auth-password": PASSWORD,
                "login_view-current_step": "auth",
                "csrfmiddlewaretoken": csrf_token(page),
            },
        )
        assert status == 302


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_simultaneous_saves_give_one_winner_and_conflict_pages_for_the_rest(live_server):
    story = ArticleFactory(draft=True, headline="Council meets", last_edited_by=None)
    editors = []
    for number in range(EDITORS):
        user = UserFactory(username=f"editor{number}", is_staff=True, first_name=f"Editor{number}")
        user.groups.add(Group.objects.get(name="Editor"))
        session = Session(live_server.url)
        session.log_in(user.username)
        editors.append(session)
    path = f"/admin/articles/article/{story.pk}/change/"
    forms = []
    for number, session in enumerate(editors):
        token = csrf_token(session.get(path))
        forms.append(
            {
                **article_form_data(story),
                "headline": f"Version by editor {number}",
                "csrfmiddlewaretoken": token,
            }
        )

    start = threading.Barrier(EDITORS)
    answers = [None] * EDITORS

    def save(number):
        start.wait()
        answers[number] = editors[number].post(path, forms[number])

    threads = [threading.Thread(target=save, args=(number,)) for number in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = [status for status, _ in answers]
    assert all(status < 500 for status in statuses), statuses
    winners = [number for number, (status, _) in enumerate(answers) if status == 302]
    assert len(winners) == 1, statuses
    story.refresh_from_db()
    assert story.headline == f"Version by editor {winners[0]}"
    for number, (status, html) in enumerate(answers):
        if number in winners:
            continue
        assert status == 200
        assert "after you opened it" in html
        assert f'value="Version by editor {number}"' in html  # the loser's own text, kept
        assert f"Editor{winners[0]} saved this story" in html
    assert Article.objects.get(pk=story.pk).version == 2
