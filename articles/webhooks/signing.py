"""The delivery signature: HMAC-SHA256 over "<unix time>.<body>", keyed with the webhook's secret.

Receivers recompute it (docs/api.md has the snippet) and reject old timestamps, so a
captured delivery cannot be replayed later.
"""

import hashlib
import hmac
import time

HEADER = "Newsroom-Signature"
TOLERANCE_SECONDS = 300


def sign(*, secret, body, timestamp=None):
    """The header value for `body` (bytes): "t=<unix time>,v1=<hex digest>"."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(*, secret, body, header, now=None, tolerance=TOLERANCE_SECONDS):
    """Whether `header` is a valid, recent signature of `body`: what a receiver does."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret=secret, body=body, timestamp=timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
