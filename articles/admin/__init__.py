from . import articles, people, photos, webhooks  # noqa: F401
