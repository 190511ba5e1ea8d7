from django.urls import path, register_converter

from . import feeds, preview, views
from .converters import UnicodeSlugConverter
from .views import public_page

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("section/<uslug:slug>/", public_page(views.SectionView.as_view()), name="section"),
    path("people/<uslug:slug>/", public_page(views.ContributorView.as_view()), name="contributor"),
    path("tag/<uslug:slug>/", public_page(views.TagView.as_view()), name="tag"),
    path("search/", public_page(views.SearchView.as_view()), name="search"),
    path("corrections/", public_page(views.CorrectionListView.as_view()), name="corrections"),
    path("feeds/latest/", feeds.StoryFeed.as_view(), name="feed"),
    path("feeds/section/<uslug:slug>/", feeds.SectionFeed.as_view(), name="section_feed"),
    path("feeds/people/<uslug:slug>/", feeds.ContributorFeed.as_view(), name="contributor_feed"),
    path("feeds/atom/latest/", feeds.StoryFeed.as_view(atom=True), name="atom_feed"),
    path("feeds/atom/section/<uslug:slug>/", feeds.SectionFeed.as_view(atom=True), name="section_atom_feed"),
    path(
        "feeds/atom/people/<uslug:slug>/",
        feeds.ContributorFeed.as_view(atom=True),
        name="contributor_atom_feed",
    ),
    path("preview/<int:pk>/", preview.staff_preview, name="preview"),
    path("preview/shared/<str:token>/", preview.shared_preview, name="shared_preview"),
    path(
        "<int:year>/<int:month>/<int:day>/<uslug:slug>/",
        public_page(views.ArticleDetailView.as_view()),
        name="detail",
    ),
]
