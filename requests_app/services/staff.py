"""Who works where: changes to a member of staff's council, teams and roles are audited
(issue 11 item 6). The platform administrator makes them in the Django admin; a change of
council or role changes which children's records someone can open, so information governance
must be able to see who changed it, when, and from what to what."""

from __future__ import annotations

from requests_app.services.history import audit


def access_of(user) -> dict:
    """What decides what this person may see: their council, roles in teams, and flags."""
    if user is None or user.pk is None:
        return {}
    memberships = user.memberships.select_related("team").order_by("team__name", "role")
    return {
        "council": user.council.slug if user.council_id else None,
        "roles": [f"{m.role} in {m.team.name}" for m in memberships],
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def record_access_change(actor, user, *, before: dict, after: dict, http_request=None):
    """One audit event with the old and new values, if anything that decides access changed.
    Written on the person's new council (their old one if they no longer have one)."""
    if before == after:
        return None
    action = "user.deleted" if not after else ("user.added" if not before else
                                                "user.access_changed")
    changed = sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
    return audit(actor, action, user, council_id=_council_id(user, before),
                 detail={"before": before, "after": after, "changed": changed},
                 http_request=http_request)


def _council_id(user, before):
    if user.council_id:
        return user.council_id
    from requests_app.models import Council

    slug = before.get("council")
    return Council.objects.filter(slug=slug).values_list("pk", flat=True).first() if slug else None
