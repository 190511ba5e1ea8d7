"""Real HTTP servers on loopback that record what the newsroom sends them: webhook deliveries
(`Receiver`) and cache purges (`PurgeReceiver`, a stand-in for Varnish)."""

import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify_as_a_receiver_would(secret, headers, body):
    """The check from docs/api.md, written out independently of the sender's code."""
    fields = dict(part.split("=", 1) for part in headers["Newsroom-Signature"].split(","))
    expected = hmac.new(secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields["t"])) < 300
    return fresh and hmac.compare_digest(expected, fields["v1"])


class _LoopbackServer:
    """A threaded server on a free loopback port, started and stopped as a context manager."""

    path = "/"

    def __init__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.answer_post(self)

            def do_PURGE(self):
                receiver.answer_purge(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer_post(self, request):
        request.send_error(405)

    def answer_purge(self, request):
        request.send_error(405)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class Receiver(_LoopbackServer):
    """Records webhook deliveries and answers with the statuses in `answers`, in order."""

    path = "/hooks/newsroom"

    def __init__(self):
        self.received = []  # (headers, body bytes)
        self.received_at = []  # time.monotonic() of each delivery, for backoff checks
        self.answers = []  # status codes to give, in order; 200 once they run out
        super().__init__()

    def answer_post(self, request):
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        self.received.append((dict(request.headers), body))
        self.received_at.append(time.monotonic())
        status = self.answers.pop(0) if self.answers else 200
        reply = b"ok" if status < 300 else b"receiver is having a bad day"
        request.send_response(status)
        request.send_header("Content-Length", str(len(reply)))
        request.end_headers()
        request.wfile.write(reply)


class PurgeReceiver(_LoopbackServer):
    """Answers `PURGE` like the newsroom VCL (200, `xkey-purged`) and keeps each request's keys."""

    def __init__(self, status=200):
        self.purges = []  # one set of keys per PURGE request
        self.status = status
        super().__init__()

    def answer_purge(self, request):
        self.purges.append(set(request.headers.get("xkey-purge", "").split()))
        request.send_response(self.status)
        request.send_header("xkey-purged", "1")
        request.send_header("Content-Length", "0")
        request.end_headers()

    @property
    def keys(self):
        """Every key purged so far."""
        return set().union(*self.purges)

    def clear(self):
        self.purges.clear()
