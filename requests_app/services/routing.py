"""A manager changes who has a request, with the reason on record (never silently)."""

from __future__ import annotations

from django.db import transaction

from requests_app import access
from requests_app.models import CaseNote
from requests_app.services import notify
from requests_app.services.base import ActionRefused, lock, take
from requests_app.services.history import add_note


def override_route(request, user, *, team, person=None, reason: str, http_request=None):
    """Send the request to another team (or a named person in it). The route the policy gave
    stays in the history; the new holder is granted the request and the old one steps back."""
    if not reason.strip():
        raise ActionRefused(["Enter why you are changing the route."])
    if team is None or team.council_id != request.council_id or not team.exists:
        raise ActionRefused(["Select a team of this council."])
    if person is not None and (person.council_id != request.council_id
                               or not person.memberships.filter(team=team).exists()):
        raise ActionRefused(["Select someone in that team, or leave it empty."])
    with transaction.atomic():
        request = lock(request)
        old_person, old_team = request.routed_to, request.routed_team
        request.routed_team, request.routed_to = team, person
        if person is not None and request.state == "with_worker" and (
                "social_worker" in person.roles):
            request.allocated_worker = person
        offer = take(request, user, "override_route", http_request=http_request,
                     detail={"team": team.pk, "person": person.pk if person else None,
                             "from_team": old_team.pk if old_team else None,
                             "from_person": old_person.pk if old_person else None})
        was = old_person.get_full_name() if old_person else (old_team.name if old_team
                                                              else "nobody")
        now = f"{person.get_full_name()} ({team.name})" if person else team.name
        add_note(request, user, f"Route changed from {was} to {now}. Reason: {reason}",
                 kind=CaseNote.Kind.ROUTING, rule_ids=list(offer.note_rule_ids))
        for holder in (old_person, old_team.group if old_team and old_team.group_id else None):
            if holder is not None:
                access.revoke_action(request, holder)
        if person is not None:
            access.grant(request, person)
            notify.request_reached(request, [person], f"A request was sent to you: {reason}")
        elif team.group_id:
            access.grant(request, team.group)
            notify.request_reached(request, team.members.all(),
                                   f"A request was sent to {team.name}: {reason}")
        return request
