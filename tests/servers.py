"""Real servers for tests: gunicorn in production mode in a subprocess, on a free loopback port."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, *, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on {port} after {seconds} s")


def stop(process, *, seconds):
    """Stop a child process by its PID: politely, then for good after `seconds`."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_collected = {}


def collected_static():
    """STATIC_ROOT with `collectstatic` run once per test process, as a deployment has it."""
    if "root" not in _collected:
        root = Path(tempfile.mkdtemp(prefix="newsroom-static-"))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env={**os.environ, "DEBUG": "0", "SECRET_KEY": "collect-" + "k" * 50, "STATIC_ROOT": str(root)},
            check=True,
        )
        _collected["root"] = root
    return _collected["root"]


@contextlib.contextmanager
def production_server(**env):
    """gunicorn with DEBUG off and the given environment; yields its base URL, stops it by PID."""
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    base.update(
        DEBUG="0",
        SECRET_KEY="test-only-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(collected_static()),
    )
    base.update(env)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
            cwd=BASE_DIR,
            env=base,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, process=process)
            yield f"http://127.0.0.1:{port}"
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-5000:])
            raise
        finally:
            stop(process, seconds=10)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def database_url():
    """The URL of the database this test process uses, for a child process to share it."""
    from django.db import connection

    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


@contextlib.contextmanager
def task_worker(settings, **env):
    """`manage.py db_worker` in a child process on this test's database (which must be committed
    to: a transactional test), with `settings` switched to the database queue; stopped by PID."""
    settings.TASKS = DATABASE_TASKS
    child_env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": DATABASE_TASKS["default"]["BACKEND"],
        "DEBUG": "1",
        **env,
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"]
    command += ["--no-reload", "--no-startup-delay"]
    child = subprocess.Popen(command, cwd=BASE_DIR, env=child_env, stdout=subprocess.DEVNULL)
    try:
        yield child
    finally:
        stop(child, seconds=30)
