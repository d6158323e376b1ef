"""The redaction screen's URLs (views.redaction), under /requests/<reference>/documents/."""

urlpatterns: list = []
