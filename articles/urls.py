from django.urls import path, register_converter

from .converters import UnicodeSlugConverter
from .views import public

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", public.HomeView.as_view(), name="home"),
    path("section/<uslug:slug>/", public.SectionView.as_view(), name="section"),
    path("people/<uslug:slug>/", public.ContributorView.as_view(), name="contributor"),
    path("tag/<uslug:slug>/", public.TagView.as_view(), name="tag"),
    path(
        "<int:year>/<int:month>/<int:day>/<uslug:slug>/",
        public.ArticleDetailView.as_view(),
        name="detail",
    ),
]
