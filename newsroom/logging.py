"""Log records that say which request they belong to (LOGGING in settings, docs/deploy.md "Logs").

RequestLogMiddleware opens a request context; RequestContextFilter copies its request id and
user id onto every record logged meanwhile, so the JSON formatter writes them as fields.
"""

import contextlib
import contextvars
import logging

_current = contextvars.ContextVar("newsroom_request_context", default=None)


class _RequestContext:
    @contextlib.contextmanager
    def __call__(self, **values):
        token = _current.set(dict(values))
        try:
            yield
        finally:
            _current.reset(token)

    def set(self, **values):
        if (current := _current.get()) is not None:
            current.update(values)

    def get(self):
        return _current.get() or {}


request_context = _RequestContext()


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to records logged while a request is being answered."""

    def filter(self, record):
        for name, value in request_context.get().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True
