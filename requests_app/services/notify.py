"""Emails when a request reaches someone or a decision is made (console backend in the demo).

Sent after the transaction commits, so nobody is told about something that was rolled back.
The email names the reference only: no child's details travel by ordinary email.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse


def _send(recipients, subject: str, body: str) -> None:
    addresses = sorted({u.email for u in recipients if u is not None and u.email})
    if not addresses:
        return
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses,
                          fail_silently=False)
    )


def request_reached(request, recipients, why: str) -> None:
    link = reverse("request_detail", args=[request.reference])
    _send(recipients, f"[{request.reference}] A request needs you",
          f"{why}\n\nOpen it in Access to Records: {link}\n")


def decision_made(request, recipients, outcome: str) -> None:
    link = reverse("request_detail", args=[request.reference])
    _send(recipients, f"[{request.reference}] Decision: {outcome}",
          f"A decision was recorded on {request.reference}: {outcome}.\n\n{link}\n")
