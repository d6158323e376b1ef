"""The redaction screen's URLs (views.redaction), under /requests/<reference>/."""

from django.urls import path

from requests_app.views import redaction

urlpatterns = [
    path("documents/<int:pk>/", redaction.document_detail, name="document_detail"),
    path("documents/<int:pk>/pages/<int:page>.png", redaction.page_image,
         name="document_page_image"),
    path("documents/<int:pk>/redact/", redaction.redact, name="redact"),
    path("documents/<int:pk>/redactions/<int:rid>/undo/", redaction.undo_redaction,
         name="redaction_undo"),
    # One form per suggestion; its two buttons post to these (the URL says which).
    path("documents/<int:pk>/suggestions/accept/", redaction.accept_suggestion,
         name="suggestion_accept"),
    path("documents/<int:pk>/suggestions/reject/", redaction.reject_suggestion,
         name="suggestion_reject"),
    path("redact-every-instance/", redaction.every_instance, name="redact_every_instance"),
]
