from .article import Article, ArticleQuerySet, Byline, Correction, FormerURL, Section
from .people import Contributor
from .photo import Photo, Rendition
from .wire import WireImport

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Contributor",
    "Correction",
    "FormerURL",
    "Photo",
    "Rendition",
    "Section",
    "WireImport",
]
