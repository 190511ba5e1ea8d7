from . import articles, people, photos  # noqa: F401
