from django.contrib import admin

from . import articles, people, photos  # noqa: F401

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Editors' desk"
admin.site.index_template = "admin/newsroom_index.html"
