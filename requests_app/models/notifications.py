"""What reached a person: the in-app copy of every notification email (issue 13, item 3)."""

from django.conf import settings
from django.db import models

from .requests import InformationRequest


class Notification(models.Model):
    """Written by `services.notify` in the same transaction as the action that caused it, so
    a rolled-back action leaves no notification behind. Only its recipient ever sees it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.TextField()
    # The absolute link the email carried (built from SITE_URL).
    url = models.URLField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created"]),
            # The header's unread count.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True),
                         name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.request_id} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
