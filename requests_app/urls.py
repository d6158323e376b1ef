from django.contrib import admin
from django.urls import include, path

from requests_app.views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
