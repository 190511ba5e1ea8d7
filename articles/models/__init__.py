from .article import Article, ArticleQuerySet, Byline, Correction, FormerURL, Section
from .people import Contributor
from .photo import Photo, Rendition

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
]
