from django.urls import path

from .views import photos

app_name = "photos"

urlpatterns = [
    path("", photos.PhotoLibraryView.as_view(), name="library"),
    path("upload/", photos.PhotoUploadView.as_view(), name="upload"),
    path("describe/", photos.PhotoDescribeView.as_view(), name="describe"),
    path("<int:pk>/", photos.PhotoDetailView.as_view(), name="detail"),
    path("<int:pk>/original/", photos.photo_original, name="original"),
]
