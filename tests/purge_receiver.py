"""A stand-in for Varnish on loopback that records the PURGE requests it gets."""

import http.server
import threading


class PurgeReceiver:
    """Answers `PURGE` like the newsroom VCL (200, `xkey-purged`) and keeps each request's keys."""

    def __init__(self, status=200):
        self.purges = []  # one set of keys per PURGE request
        self.status = status
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                receiver.purges.append(set(self.headers.get("xkey-purge", "").split()))
                self.send_response(receiver.status)
                self.send_header("xkey-purged", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @property
    def keys(self):
        """Every key purged so far."""
        return set().union(*self.purges)

    def clear(self):
        self.purges.clear()
