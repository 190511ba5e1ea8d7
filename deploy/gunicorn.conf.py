"""Gunicorn settings for the newsroom app servers (docs/deploy.md).

Used by deploy/systemd/newsroom-web.service:

    gunicorn --config deploy/gunicorn.conf.py newsroom.wsgi

Every number can be overridden from the environment (/etc/newsroom/env) without editing
this file; the defaults suit an app server with 2-4 CPUs behind Varnish and nginx.

Request path: nginx (TLS, buffers uploads) -> Varnish (cache) -> gunicorn (this file).
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


# Where Varnish reaches this app server. On a machine of its own the app server listens on
# its private address (e.g. GUNICORN_BIND=10.0.0.11:8000); gunicorn must NOT be reachable
# from the internet, because Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Processes x threads. Most of a request's time is spent waiting for PostgreSQL and Redis,
# so a few threads per process multiply capacity cheaply; several processes use the CPUs
# (photo uploads re-encode images with Pillow, which is CPU-bound).
# 2 x CPUs + 1 processes with 4 threads: 9 x 4 = 36 requests at once on 4 CPUs.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"

# Timeouts, sized for the photo desk. A bulk upload (several files of up to
# PHOTO_MAX_UPLOAD_BYTES = 40 MB each, every one re-encoded into renditions) is answered
# only when all files are processed, which can take minutes.
#   * nginx receives the whole upload first (proxy_request_buffering), so gunicorn never
#     waits on a slow photographer's connection; the body arrives at LAN speed.
#   * With gthread workers, `timeout` is how long a worker may stop answering the
#     arbiter's heartbeat (a wedged process), not a limit on one request; a long upload
#     in a thread does not trigger it.
#   * The limits in front must be at least as long: Varnish first_byte_timeout for
#     uploads 300 s (deploy/varnish/newsroom.vcl), nginx proxy_read_timeout 300 s.
timeout = _int("GUNICORN_TIMEOUT", 120)
# On reload (HUP) or stop (TERM), workers finish what they are doing for up to this long
# before being killed: an upload in progress gets the full 300 s. systemd's TimeoutStopSec
# is longer than this.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 300)
# Keep connections from Varnish open between requests (Varnish reuses them). Longer than
# Varnish's backend_idle_timeout (60 s), so Varnish, not gunicorn, closes idle ones and never
# sends a request on a connection gunicorn is just closing.
keepalive = _int("GUNICORN_KEEPALIVE", 75)

# Recycle each worker after about a thousand requests (jittered so they do not all restart
# together), which bounds the effect of any slow memory growth (image libraries).
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Graceful reload: `systemctl reload newsroom-web` sends HUP. The arbiter then starts new
# workers with the new code and settings and retires the old ones when they have finished
# their requests; the listening socket is never closed, so no request is refused.
# That only loads new code because the app is NOT preloaded into the arbiter.
preload_app = False

# Heartbeat files in memory, not on a disk that may stall under upload I/O.
worker_tmp_dir = "/dev/shm"

# Varnish (and nginx before it) set X-Forwarded-Proto. Gunicorn uses it for
# wsgi.url_scheme only when it comes from these addresses: the Varnish machine(s).
# (Django reads the header itself through SECURE_PROXY_SSL_HEADER; the firewall rule
# "only Varnish may connect to gunicorn" is what makes that safe.)
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Request size guards for headers (bodies are limited by nginx and Django).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Logs go to stdout/stderr, which systemd sends to the journal:
#     journalctl -u newsroom-web -f
# One access line per request: client (as forwarded by nginx/Varnish), request, status,
# size, time taken in microseconds (%(D)s), referrer and user agent.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(B)s %(D)sus "%(f)s" "%(a)s"'
)
# Django's own logging (LOGGING in settings) also writes to stderr -> journal.
capture_output = False

# Name shown by ps/top: "gunicorn: master [newsroom]".
proc_name = "newsroom"

# Gunicorn 25+ opens a control socket for `gunicornc`; keep it in the service's runtime
# directory (RuntimeDirectory=newsroom-web in the unit), not in a home directory.
_runtime = os.environ.get("RUNTIME_DIRECTORY")
if _runtime:
    control_socket = os.path.join(_runtime.split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True
