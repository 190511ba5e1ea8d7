from django.urls import path

from . import views

app_name = "photos"

urlpatterns = [
    path("", views.PhotoLibraryView.as_view(), name="library"),
    path("upload/", views.PhotoUploadView.as_view(), name="upload"),
    path("describe/", views.PhotoDescribeView.as_view(), name="describe"),
    path("status/", views.photo_status, name="status"),
    path("<int:pk>/", views.PhotoDetailView.as_view(), name="detail"),
    path("<int:pk>/delete/", views.PhotoDeleteView.as_view(), name="delete"),
    path("<int:pk>/remove/", views.photo_remove, name="remove"),
    path("<int:pk>/original/", views.photo_original, name="original"),
]
