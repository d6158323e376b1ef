from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from requests_app.views import (
    actions,
    corrections,
    documents,
    exports,
    home,
    intake,
    notes,
    packs,
    requests,
    search,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("export/requests.csv", exports.export_home, name="export_home"),
    path("search/", search.search_page, name="search"),
    path("search/<slug:group>.csv", exports.export_search, name="export_search"),
    path("requests/new/", intake.log_request, name="log_request"),
    path("requests/<str:reference>/", requests.request_detail, name="request_detail"),
    path("requests/<str:reference>/triage/", intake.triage, name="triage"),
    path("requests/<str:reference>/notes/new/", notes.add_note, name="add_note"),
    path("requests/<str:reference>/correct/", corrections.correct, name="correct_request"),
    path("requests/<str:reference>/notes/<int:corrects>/correct/", notes.add_note,
         name="correct_note"),
    # Documents, redaction and disclosure packs.
    path("requests/<str:reference>/documents/add/", documents.upload, name="document_add"),
    path("requests/<str:reference>/documents/text/", documents.add_text, name="document_text_add"),
    path("requests/<str:reference>/documents/<int:pk>/download/", documents.download,
         name="document_download"),
    path("requests/<str:reference>/documents/<int:pk>/consent/", documents.consent,
         name="document_consent"),
    path("requests/<str:reference>/", include("requests_app.urls_redaction")),
    path("requests/<str:reference>/pack/", packs.pack_page, name="pack"),
    path("requests/<str:reference>/pack/choose/", packs.choose, name="pack_choose"),
    path("requests/<str:reference>/pack/new-version/", packs.new_version, name="pack_new_version"),
    path("requests/<str:reference>/pack/<int:version>/progress/", packs.progress,
         name="pack_progress"),
    path("requests/<str:reference>/pack/<int:version>/download/", packs.download,
         name="pack_download"),
    path("requests/<str:reference>/pack/<int:version>/<slug:step>/", packs.pack_step,
         name="pack_step"),
    path("requests/<str:reference>/<slug:action>/", actions.act, name="act"),
    # Sign in and out only: councils manage passwords through their own identity provider.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
