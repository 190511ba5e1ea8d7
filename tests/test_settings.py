"""Production settings stay strict whatever else is imported; only the test settings relax them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def load_settings(module, **env):
    ours = {"NEWSROOM_TESTING", "SECRET_KEY", "DEBUG", "REDIS_URL", "NEWSROOM_SINGLE_PROCESS"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    code = f"import pytest, importlib; s = importlib.import_module({module!r}); print(s.SECURE_SSL_REDIRECT)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_importing_pytest_does_not_drop_the_secret_key_requirement():
    result = load_settings("newsroom.settings", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_redirect_to_https():
    result = load_settings("newsroom.settings", DEBUG="0", SECRET_KEY="x" * 50, NEWSROOM_SINGLE_PROCESS="1")
    assert result.stdout.strip() == "True"


def test_the_test_settings_are_the_only_switch():
    result = load_settings("tests.settings", DEBUG="0")
    assert result.returncode == 0 and result.stdout.strip() == "False"


@pytest.mark.django_db
def test_postgresql_connections_start_no_parallel_workers():
    """Parallel workers cost more to start than a page's queries take (bench/README.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
