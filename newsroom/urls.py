from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView
from two_factor.urls import urlpatterns as two_factor_urls
from two_factor.views import LoginView

from articles.caching.keys import SITEMAPS as SITEMAP_KEY
from articles.public.api.views import api
from articles.public.sitemaps import SITEMAPS, NewsSitemap
from articles.public.views import public_page
from articles.security import csp

from .health import app_health, full_health

urlpatterns = [
    path("admin/", admin.site.urls),
    # One login form for the whole site: the password, then a code for those who enrolled.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("", include(two_factor_urls)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("photos/", include("articles.photos.urls")),
    path("api/v1/", api.urls),
    path("csp-report/", csp.report, name="csp_report"),
    path("health/", full_health, name="health"),
    path("health/app/", app_health, name="health_app"),
    path(
        "robots.txt",
        public_page(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), keys=[SITEMAP_KEY]
        ),
        name="robots",
    ),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index, keys=[SITEMAP_KEY]),
        # Its own template: the stock one takes milliseconds per hundred pages listed.
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap", "template_name": "articles/sitemap_index.xml"},
        name="sitemap_index",
    ),
    path(
        "sitemap-news.xml",
        public_page(sitemap_views.sitemap, keys=[SITEMAP_KEY]),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "articles/sitemap_news.xml"},
        name="news_sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, keys=[SITEMAP_KEY]),
        # Full times, not days: the same moment as the story's dateModified and its feed entry.
        {"sitemaps": SITEMAPS, "template_name": "articles/sitemap.xml"},
        name="sitemap",
    ),
    path("", include("articles.public.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "articles.public.unavailable.server_error"
