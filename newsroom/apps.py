from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, on the newsroom's site (articles/admin/site.py)."""

    default_site = "articles.admin.site.NewsroomAdminSite"
