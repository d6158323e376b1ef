"""A child's disclosure register (issue 11 item 4; ALL-3, BH-2, MIRRA 10): every request about
them, everything that left the council about them — what, to whom, when, how, on whose
approval, the pack's SHA-256 and the exact file — referrals and refusals.

Read-only: it gathers what the services already recorded (decisions, packs and their send
records, hard copies, copies of what a practitioner provided, case notes, the audit trail of
referrals and triage refusals). A fixed number of queries whatever the number of requests:
each list is one query over the child's requests, with what it shows joined or prefetched.
The read is audited by `audit_reads` (``register.viewed``), not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from policies.catalogue import Transition
from requests_app.models import (
    AuditEvent,
    CaseNote,
    CaseRecord,
    DisclosureDecision,
    Document,
    HardCopyRequest,
    InformationRequest,
    Pack,
    PackItem,
)

REFERRED = f"request.{Transition.REFER_OUT}"
REFUSED_AT_TRIAGE = f"request.{Transition.REFUSE_AT_TRIAGE}"


@dataclass
class Sent:
    """One thing that left the council: a pack, hard copies, or what a practitioner provided."""

    kind: str  # "pack", "hard_copies", "provided"
    request: InformationRequest
    when: object
    what: str
    items: list[str]
    to_whom: str
    to_where: str
    how: str
    by: object
    approvals: list[DisclosureDecision]
    sha256: str = ""
    pages: int = 0
    pack: Pack | None = None
    document: Document | None = None
    second_checked_by: object = None
    note: str = ""


@dataclass
class Register:
    case: CaseRecord
    requests: list[InformationRequest]
    sent: list[Sent] = field(default_factory=list)
    referrals: list[dict] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)
    visible_ids: frozenset[int] = frozenset()


def register_for(case: CaseRecord, *, visible_ids=frozenset()) -> Register:
    requests = list(
        InformationRequest.objects.filter(council_id=case.council_id, subjects=case)
        .select_related("requester", "referred_team", "routed_team")
        .order_by("-received_at", "-pk")
    )
    by_id = {r.pk: r for r in requests}
    ids = list(by_id)
    decisions: dict[int, list[DisclosureDecision]] = {pk: [] for pk in ids}
    for decision in DisclosureDecision.objects.filter(request_id__in=ids).select_related(
            "decided_by").order_by("decided_at", "pk"):
        decisions[decision.request_id].append(decision)
    for request in requests:
        request.register_decisions = decisions[request.pk]
        request.outcome = _outcome(request)

    register = Register(case=case, requests=requests, visible_ids=frozenset(visible_ids))
    register.sent = sorted(
        [*_packs(ids, by_id, decisions), *_hard_copies(ids, by_id, decisions),
         *_provided(case, ids, by_id, decisions)],
        key=lambda s: s.when, reverse=True)
    _referrals_and_refusals(register, ids, by_id, decisions)
    return register


def _approvals(decisions, request_id, *about) -> list[DisclosureDecision]:
    return [d for d in decisions[request_id] if d.outcome == DisclosureDecision.Outcome.APPROVED
            and d.about in about]


def _requester(request) -> str:
    who = request.requester
    return f"{who.name} ({who.organisation})" if who.organisation else who.name


def _packs(ids, by_id, decisions) -> list[Sent]:
    packs = (Pack.objects.filter(request_id__in=ids, status=Pack.Status.SENT)
             .select_related("sent_by", "finalised_by", "second_checked_by")
             .prefetch_related(Prefetch("items", PackItem.objects.select_related("document")
                                        .order_by("position", "pk"))))
    sent = []
    for pack in packs:
        request = by_id[pack.request_id]
        withheld = [f"Withheld: {w.get('title', '')} — {w.get('why', '')}"
                    for w in (pack.contents or {}).get("withheld", [])]
        sent.append(Sent(
            kind="pack", request=request, when=pack.sent_at,
            what=f"Disclosure pack version {pack.version} ({pack.page_count} pages)",
            items=[item.document.title for item in pack.items.all()] + withheld,
            to_whom=_requester(request), to_where=pack.sent_to,
            how=pack.get_method_display(), by=pack.sent_by,
            approvals=_approvals(decisions, request.pk, DisclosureDecision.Subject.SHARING,
                                 DisclosureDecision.Subject.HARD_COPIES,
                                 DisclosureDecision.Subject.PACK),
            sha256=pack.sha256, pages=pack.page_count, pack=pack,
            second_checked_by=pack.second_checked_by))
    return sent


def _hard_copies(ids, by_id, decisions) -> list[Sent]:
    found = HardCopyRequest.objects.filter(request_id__in=ids, sent_at__isnull=False)
    sent = []
    for copies in found.select_related("sent_by", "decision__decided_by", "second_checked_by"):
        request = by_id[copies.request_id]
        approvals = [copies.decision] if copies.decision_id else []
        sent.append(Sent(
            kind="hard_copies", request=request, when=copies.sent_at, what="Hard copies",
            items=[line.strip() for line in copies.items.splitlines() if line.strip()],
            to_whom=_requester(request), to_where=copies.sent_to,
            how=copies.get_method_display(), by=copies.sent_by,
            approvals=approvals or _approvals(decisions, request.pk,
                                              DisclosureDecision.Subject.SHARING),
            second_checked_by=copies.second_checked_by))
    return sent


def _provided(case, ids, by_id, decisions) -> list[Sent]:
    """What a practitioner provided themselves (the disclose step files a copy of it and
    case-notes to whom, how and on whose approval). A sent pack's filed copy is the pack."""
    pack_files = set(Pack.objects.filter(request_id__in=ids, status=Pack.Status.SENT)
                     .exclude(file="").values_list("request_id", "file"))
    copies = [d for d in Document.objects.filter(request_id__in=ids, is_disclosure_copy=True)
              .select_related("uploaded_by").order_by("created_at", "pk")
              if (d.request_id, d.file.name if d.file else "") not in pack_files]
    if not copies:
        return []
    notes = list(CaseNote.objects.filter(case_record=case, request_id__in=ids,
                                         kind=CaseNote.Kind.DISCLOSURE)
                 .order_by("created_at", "pk"))
    sent = []
    for copy in copies:
        request = by_id[copy.request_id]
        # The note the same service wrote, in the same transaction, just after the copy.
        note = next((n for n in notes if n.request_id == copy.request_id
                     and n.author_id == copy.uploaded_by_id
                     and n.created_at >= copy.created_at), None)
        sent.append(Sent(
            kind="provided", request=request, when=copy.created_at, what=copy.title,
            items=[], to_whom=_requester(request), to_where="", how="", by=copy.uploaded_by,
            approvals=_approvals(decisions, request.pk, DisclosureDecision.Subject.SHARING),
            sha256=copy.sha256, document=copy, note=note.text if note else ""))
    return sent


def _referrals_and_refusals(register, ids, by_id, decisions) -> None:
    events = (AuditEvent.objects.filter(request_id__in=ids,
                                        action__in=[REFERRED, REFUSED_AT_TRIAGE])
              .select_related("actor").order_by("at", "pk"))
    for event in events:
        request = by_id[event.request_id]
        entry = {"request": request, "when": event.at, "by": event.actor,
                 "why": request.route_explanation, "rule_ids": request.route_rule_ids,
                 "told": request.requester_told}
        if event.action == REFERRED:
            entry["where"] = (request.referred_team or request.routed_team
                              or "Outside the council")
            register.referrals.append(entry)
        else:
            entry["stage"] = "At triage"
            register.refusals.append(entry)
    for pk in ids:
        for decision in decisions[pk]:
            if decision.outcome == DisclosureDecision.Outcome.REFUSED:
                register.refusals.append({
                    "request": by_id[pk], "when": decision.decided_at,
                    "by": decision.decided_by, "why": decision.reasons,
                    "rule_ids": decision.rule_ids, "stage": decision.get_about_display(),
                    "told": "Yes" if decision.requester_informed else "Not recorded"})
    register.referrals.sort(key=lambda e: e["when"], reverse=True)
    register.refusals.sort(key=lambda e: e["when"], reverse=True)


def _outcome(request) -> str:
    """The request's outcome in a few words, from its recorded decisions and state."""
    latest = {}
    for decision in request.register_decisions:
        latest[decision.about] = decision
    sharing = latest.get(DisclosureDecision.Subject.SHARING)
    if sharing is not None:
        verb = "approved" if sharing.outcome == DisclosureDecision.Outcome.APPROVED else "refused"
        return f"Sharing {verb} by {sharing.decided_by.get_full_name()}"
    if not request.is_open:  # referred, refused at triage, withdrawn or closed
        return request.get_state_display()
    return "No decision to share yet"
