from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from requests_app.views import actions, home, intake, notes, requests

urlpatterns = [
    path("", home.home, name="home"),
    path("requests/new/", intake.log_request, name="log_request"),
    path("requests/<str:reference>/", requests.request_detail, name="request_detail"),
    path("requests/<str:reference>/triage/", intake.triage, name="triage"),
    path("requests/<str:reference>/notes/new/", notes.add_note, name="add_note"),
    path("requests/<str:reference>/notes/<int:corrects>/correct/", notes.add_note,
         name="correct_note"),
    path("requests/<str:reference>/<slug:action>/", actions.act, name="act"),
    # Sign in and out only: councils manage passwords through their own identity provider.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
