"""Browser tests sign people in through the real login form, as they do every morning."""

import time

from tests.factories import PASSWORD


def log_in_at(page, url, username):
    """Open `url`, sign in as `username` on the login form it leads to, and wait for the page."""
    page.goto(url)
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_load_state()


def log_in(page, base, username):
    """Sign in to the admin at `base` and wait for the editors' desk."""
    log_in_at(page, f"{base}/admin/login/", username)
    page.wait_for_selector("#newsroom-desk")


def wait_until_true(page, expression, *, timeout=30):
    """Evaluate `expression` in the page every 0.1 s until it is true; fail after `timeout` s.

    Playwright's own `wait_for_function` polls by evaluating its predicate with `eval` inside
    the page, which the site's Content Security Policy forbids: it passes only when the
    predicate is already true at the first look. This polls from the test instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {expression}")
        page.wait_for_timeout(100)
