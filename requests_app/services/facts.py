"""Facts the council's gates read, written at the step where they arise.

Which facts a step's form asks for is the policy's answer (`Offer.facts`); this module writes
whatever of them the form gave onto the request, inside the caller's transaction and before the
gates run, and returns the sentences the case note records (the CAMDEN-2 exception, the
DEVON-2.1 permissions …). A refused action rolls the whole transaction back, so nothing is
half-recorded.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from requests_app.models import CaseNote, Document, ParentsInformed
from requests_app.services.base import ActionRefused, lock, take
from requests_app.services.history import add_note

CHILD_PERMISSION = {
    "given": "The child gave permission.",
    "not_given": "The child did not give permission.",
    "not_of_understanding": "The child is not of sufficient age and understanding to decide.",
}
MEETINGS = {
    "cin": "Child in Need meeting", "cp_conference": "child protection conference",
    "ppm": "pre-proceedings meeting", "cic_review": "Child in Care review",
}
KNOWN = frozenset({
    "necessity_note", "public_interest_justification", "family_wishes_acknowledged",
    "pr_permissions", "child_permission", "court_order", "meeting_kind",
    "requester_attended_or_invited", "minutes_signed_by_chair", "chair_agreed",
    "parents_informed", "identity_reverified", "subject_informed", "redaction_confirmed",
    "family_informed_after", "deletion_requested", "deletion_response",
})


def _yes(value) -> bool:
    return value is True or value == "True" or value == "yes"


def apply_facts(request, user, facts: dict) -> list[str]:
    """Write the given facts onto the (locked) request; the sentences for the case note."""
    said: list[str] = []
    facts = {k: v for k, v in facts.items() if k in KNOWN and v not in (None, "", [])}
    text = facts.get("necessity_note", "").strip() if "necessity_note" in facts else ""
    if text:
        request.necessity_note = text
        said.append(f"Why this is necessary and proportionate: {text}")
    text = facts.get("public_interest_justification", "")
    if text and text.strip():
        request.public_interest_justification = text.strip()
        said.append(f"Public interest justification: {text.strip()}")
    if _yes(facts.get("family_wishes_acknowledged")):
        request.family_wishes_acknowledged = True
        said.append("The family's recorded wishes were read and considered.")
    if "pr_permissions" in facts:
        names = sorted(set(request.pr_permissions) | set(facts["pr_permissions"]))
        request.pr_permissions = names
        said.append("Permission recorded from: " + ", ".join(facts["pr_permissions"]) + ".")
    if facts.get("child_permission") in CHILD_PERMISSION:
        request.child_permission = facts["child_permission"]
        said.append(CHILD_PERMISSION[facts["child_permission"]])
    if _yes(facts.get("court_order")):
        request.court_order = True
        said.append("A court has ordered disclosure.")
    said += _meeting(request, facts)
    choice = facts.get("parents_informed")
    if choice in ParentsInformed.values:
        request.parents_informed = choice
        said.append(f"Parents: {ParentsInformed(choice).label}.")
    if _yes(facts.get("identity_reverified")):
        request.identity_reverified_at = timezone.now()
        said.append("Identity re-verified before disclosure.")
    if _yes(facts.get("subject_informed")):
        request.subject_informed = True
        said.append("The young person was told in their own right how their information is "
                    "used.")
    if facts.get("redaction_confirmed"):
        said += _confirm_redactions(request, user, facts["redaction_confirmed"])
    choice = facts.get("family_informed_after")
    if choice in ParentsInformed.values:
        request.family_informed_after = choice
        said.append(f"Family told what was shared: {ParentsInformed(choice).label}.")
    if "deletion_requested" in facts:
        request.deletion_requested = _yes(facts["deletion_requested"])
        if request.deletion_requested:
            answer = facts.get("deletion_response", "").strip()
            if not answer:
                raise ActionRefused(["Enter what the child was told about their request to "
                                     "delete part of their record."])
            request.deletion_response = answer
            said.append(f"The child asked for part of their record to be deleted. Answer: "
                        f"{answer}")
        else:
            said.append("The child has not asked for part of their record to be deleted.")
    return said


def _meeting(request, facts: dict) -> list[str]:
    said = []
    if facts.get("meeting_kind") in MEETINGS:
        request.meeting_kind = facts["meeting_kind"]
        said.append(f"Meeting: {MEETINGS[request.meeting_kind]}.")
    if "requester_attended_or_invited" in facts:
        request.requester_attended_or_invited = _yes(facts["requester_attended_or_invited"])
        said.append("The requester attended or was invited."
                    if request.requester_attended_or_invited
                    else "The requester neither attended nor was invited.")
    if _yes(facts.get("minutes_signed_by_chair")):
        request.minutes_signed_by_chair = True
        said.append("The minutes are signed by the Chair.")
    if _yes(facts.get("chair_agreed")):
        request.chair_agreed = True
        said.append("The Chair (for a Child in Care review, the social worker with the IRO) "
                    "agreed to the release.")
    return said


def _confirm_redactions(request, user, document_ids) -> list[str]:
    docs = list(Document.objects.filter(request=request, pk__in=[int(i) for i in document_ids],
                                        is_third_party=True))
    if len(docs) != len(set(document_ids)):
        raise ActionRefused(["Choose from this request's third-party documents."])
    now = timezone.now()
    for doc in docs:
        doc.redaction_confirmed_by, doc.redaction_confirmed_at = user, now
        doc.save(update_fields=["redaction_confirmed_by", "redaction_confirmed_at"])
    return [f"Confirmed that every passage of '{d.title}' its author's consent would cover is "
            "redacted." for d in docs]


def record_facts(request, user, *, http_request=None, **facts):
    """Record facts a later step's gate reads, when they arise (no dead ends: CAMDEN-2,
    DEVON-2.1, DEVON-3, BH-10 …)."""
    from requests_app.services.base import offer_now

    with transaction.atomic():
        request = lock(request)
        before = offer_now(request, user, "record_facts", preview=True)
        said = apply_facts(request, user, facts)
        if not said:
            raise ActionRefused(["Answer at least one of the questions."])
        request.save()
        offer = take(request, user, "record_facts", http_request=http_request,
                     detail={"facts": sorted(k for k in facts if k in KNOWN)})
        rules = (before.fact_rule_ids if before else ()) or offer.note_rule_ids
        add_note(request, user, " ".join(said), kind=CaseNote.Kind.GENERAL, rule_ids=list(rules))
        return request
