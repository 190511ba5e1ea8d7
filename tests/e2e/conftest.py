"""Browser tests sign people in through the real login form, as they do every morning."""

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
