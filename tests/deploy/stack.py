"""The production stack on loopback: PostgreSQL and Redis (running), moto S3, two gunicorns,
the task worker and Varnish.

Every process is started here in its own process group and stopped by its PID.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
import psycopg2
import redis

from tests.s3_server import S3Server

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DEPLOYED_VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"

# Ports in one block on 127.0.0.1 (NEWSROOM_DEPLOY_PORT moves the block).
BASE_PORT = int(os.environ.get("NEWSROOM_DEPLOY_PORT", "18200"))
VARNISH_PORT, VARNISH_ADMIN_PORT, APP_A_PORT, APP_B_PORT, S3_PORT = (BASE_PORT + n for n in range(5))
DATABASE_URL = os.environ.get(
    "NEWSROOM_DEPLOY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_deploy_test"
)
REDIS_URL = os.environ.get("NEWSROOM_DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/5")
# The editors' authenticator secret (hex), shared with web.py to compute their codes.
TOTP_KEY = "3132333435363738393031323334353637383930"
PASSWORD = "deploy-test-" + secrets.token_hex(8)


def test_vcl(source, ports):
    """The shipped VCL with only the backends' host and port changed, as an operator would."""
    for name, port in ports.items():
        pattern = re.compile(rf'(backend {name} \{{\s*\.host = ")[^"]+(";[^\n]*\n\s*\.port = ")[^"]+(")')
        source, found = pattern.subn(rf"\g<1>127.0.0.1\g<2>{port}\g<3>", source)
        assert found == 1, f"backend {name} not found in the VCL"
    return source


class Stack:
    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.workdir.chmod(0o755)  # varnishd's child runs as another user and reads from here
        self.processes = {}
        self.s3 = S3Server(port=S3_PORT)
        self.env = {
            **{
                k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "DJANGO_", "GUNICORN_"))
            },
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "news.example.org,localhost",
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": REDIS_URL,
            "NEWSROOM_PURGE_URLS": f"http://127.0.0.1:{VARNISH_PORT}/",
            "STATIC_ROOT": str(self.workdir / "static"),
            "LOG_FORMAT": "json",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "4",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            **self.s3.environment,
        }
        self.varnish_dir = self.workdir / "varnish"
        self.varnish_pidfile = self.workdir / "varnishd.pid"

    # --- services that are already running -------------------------------------------

    def fresh_database(self):
        config = dj_database_url.parse(DATABASE_URL)
        connection = psycopg2.connect(
            dbname="postgres",
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or config.get("OPTIONS", {}).get("host"),
            port=config["PORT"] or None,
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
        connection.close()
        redis.Redis.from_url(REDIS_URL).flushdb()

    def manage(self, *args, input=None):
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def load_newsroom(self):
        """Two editors, a section, a reporter and three published stories; return their ids."""
        script = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from articles.models import Article, Byline, Contributor, Section
editors = Group.objects.get(name="Editor")
for username, first in (("edith", "Edith"), ("eddie", "Eddie")):
    user = get_user_model().objects.create_user(
        username, password={PASSWORD!r}, is_staff=True, first_name=first, last_name="Editor")
    user.groups.add(editors)
    # Editors must sign in with a second factor in production: each has an authenticator.
    TOTPDevice.objects.create(user=user, name="default", key={TOTP_KEY!r}, confirmed=True)
section = Section.objects.create(name="National", slug="national")
reporter = Contributor.objects.create(name="Jane Doe")
for n in range(3):
    story = Article.objects.create(
        headline=f"Earlier story {{n}}", section=section, status="published", body="<p>Text.</p>")
    Byline.objects.create(article=story, contributor=reporter)
print(json.dumps({{"section": section.pk, "reporter": reporter.pk}}))
"""
        return json.loads(self.manage("shell", "-c", script).strip().splitlines()[-1])

    # --- processes started here ------------------------------------------------------

    def start(self, name, command, env=None):
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (closed when the process stops)
        process = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log, stderr=log, start_new_session=True
        )
        process.log = log
        self.processes[name] = process
        return process

    def start_app(self, name, port):
        self.start(
            name,
            [GUNICORN, "--config", "deploy/gunicorn.conf.py", "newsroom.wsgi"],
            env={
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_ACCESSLOG": str(self.workdir / f"{name}.access"),
            },
        )

    def start_worker(self):
        self.start("worker", [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2"])

    def start_varnish(self):
        self.varnish_dir.mkdir(exist_ok=True)
        vcl = self.workdir / "newsroom.vcl"
        vcl.write_text(test_vcl(DEPLOYED_VCL.read_text(), {"app1": APP_A_PORT, "app2": APP_B_PORT}))
        vcl.chmod(0o644)
        started = subprocess.run(
            [
                "varnishd",
                "-n", str(self.varnish_dir),
                "-a", f"127.0.0.1:{VARNISH_PORT}",
                "-T", f"127.0.0.1:{VARNISH_ADMIN_PORT}",
                "-f", str(vcl),
                "-s", "malloc,64m",
                "-P", str(self.varnish_pidfile),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        assert started.returncode == 0, f"varnishd did not start: {started.stderr}"

    def backend_health(self):
        """{'app1': 'healthy'|'sick', ...} as Varnish sees the app servers."""
        listing = subprocess.run(
            ["varnishadm", "-n", str(self.varnish_dir), "backend.list"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        return {
            match.group(1): match.group(2).lower()
            for match in re.finditer(r"\.(app\d)\b[^\n]*?\b(healthy|sick)\b", listing, re.IGNORECASE)
        }

    def wait_for_port(self, port, timeout=60):
        import socket

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"nothing answers on port {port}; see the logs in {self.workdir}")

    def kill(self, name, sig=signal.SIGKILL):
        """Stop a process and all it started (gunicorn's workers) by its process group id."""
        process = self.processes[name]
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        process.log.close()

    def stop_varnish(self):
        if not self.varnish_pidfile.exists():
            return
        pid = int(self.varnish_pidfile.read_text())
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)

    def stop_all(self):
        self.stop_varnish()
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)
        self.s3.stop()

    def up(self):
        self.fresh_database()
        self.s3.start(log_path=self.workdir / "moto.log")
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        ids = self.load_newsroom()
        self.start_app("app_a", APP_A_PORT)
        self.start_app("app_b", APP_B_PORT)
        self.start_worker()
        self.wait_for_port(APP_A_PORT)
        self.wait_for_port(APP_B_PORT)
        self.start_varnish()
        deadline = time.monotonic() + 30
        while self.backend_health() != {"app1": "healthy", "app2": "healthy"}:
            assert time.monotonic() < deadline, f"backends not healthy: {self.backend_health()}"
            time.sleep(0.25)
        return ids
