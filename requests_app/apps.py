from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "Access to Records"

    def ready(self):
        from requests_app import (
            auth_events,  # noqa: F401  (connects the sign-in receivers)
            reauth,  # noqa: F401  (records when each sign-in happened)
        )
