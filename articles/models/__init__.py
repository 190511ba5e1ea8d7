from .article import Article, Byline, Correction, FormerURL, Section
from .article_queries import ArticleQuerySet
from .frontpage import FrontPage, Placement
from .gallery import Gallery, GalleryPhoto
from .people import Contributor
from .photo import Photo, Rendition
from .webhook import PeriodicRun, Webhook, WebhookDelivery
from .wire import WireImport, WireSubjectRule

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Contributor",
    "Correction",
    "FormerURL",
    "FrontPage",
    "Gallery",
    "GalleryPhoto",
    "PeriodicRun",
    "Photo",
    "Placement",
    "Rendition",
    "Section",
    "Webhook",
    "WebhookDelivery",
    "WireImport",
    "WireSubjectRule",
]
