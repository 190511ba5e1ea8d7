import os

import pytest

ENABLED = os.environ.get("NEWSROOM_DEPLOY_TEST") == "1"
SKIPPED_NOTICE = (
    "Deploy test SKIPPED: it starts Varnish, two gunicorns, the worker and an S3 server on loopback; "
    "run it with NEWSROOM_DEPLOY_TEST=1 (.ci/run does)."
)
# Filled in by the test, printed at the end of the run.
FIGURES = []


def pytest_collection_modifyitems(config, items):
    if ENABLED:
        return
    skip = pytest.mark.skip(reason=SKIPPED_NOTICE)
    for item in items:
        if "deploy" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not ENABLED:
        terminalreporter.write_sep("!", SKIPPED_NOTICE, yellow=True)
        return
    if FIGURES:
        terminalreporter.write_sep("=", "deploy test: measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
