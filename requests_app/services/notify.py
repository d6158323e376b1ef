"""Telling people a request reached them or a decision was made: in the app and by email.

Each notification is written to the recipient's in-app list (`Notification`) inside the
caller's transaction, so an action that rolls back leaves nothing behind; the email goes
after the transaction commits, so nobody is told about something that was rolled back.
The email names the reference only: no child's details travel by ordinary email. Its link
is absolute, built from SITE_URL, so it can be followed from a mail client.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from requests_app.models import Notification
from requests_app.services.history import audit


def absolute_url(path: str) -> str:
    """``path`` (from reverse) as an address someone can open from an email."""
    return settings.SITE_URL + path


def request_link(request) -> str:
    return absolute_url(reverse("request_detail", args=[request.reference]))


def _people(request, recipients) -> list:
    """Each person once, and only staff of the request's own council."""
    seen, people = set(), []
    for user in recipients:
        if user is None or user.pk in seen or user.council_id != request.council_id:
            continue
        seen.add(user.pk)
        people.append(user)
    return people


def _send(request, recipients, subject: str, text: str) -> None:
    people = _people(request, recipients)
    if not people:
        return
    link = request_link(request)
    Notification.objects.bulk_create(
        Notification(recipient=user, request=request, text=text, url=link) for user in people
    )
    addresses = sorted({u.email for u in people if u.email})
    if not addresses:
        return
    body = f"{text}\n\nOpen it in Access to Records: {link}\n"
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses,
                          fail_silently=False)
    )


def request_reached(request, recipients, why: str) -> None:
    _send(request, recipients, f"[{request.reference}] A request needs you",
          f"{request.reference}: {why}")


def decision_made(request, recipients, outcome: str) -> None:
    _send(request, recipients, f"[{request.reference}] Decision: {outcome}",
          f"A decision was recorded on {request.reference}: {outcome}.")


# ---- the in-app list -----------------------------------------------------------------------


def notifications_for(user):
    """What reached this person, newest first: never anyone else's."""
    return Notification.objects.filter(recipient=user).select_related("request")


def unread_count(user) -> int:
    # Read with the signed-in person (auth_backend.StaffBackend) where it was.
    preloaded = getattr(user, "_unread_notifications", None)
    if preloaded is not None:
        return preloaded
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def open_notification(user, pk: int, *, http_request=None) -> Notification:
    """Mark one of this person's notifications read (the first time, audited) and return it.
    Someone else's is 404, as if it did not exist."""
    with transaction.atomic():
        notification = get_object_or_404(
            Notification.objects.select_for_update().select_related("request"),
            pk=pk, recipient=user,
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            audit(user, "notification.read", notification, request=notification.request,
                  http_request=http_request)
        return notification
