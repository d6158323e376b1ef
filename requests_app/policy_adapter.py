"""The one place that turns database rows into the plain snapshots `policies/` decides on.

Policies never touch the ORM; everything they need is read here, in a fixed number of queries
(a request's subjects, their details, the council's teams, decisions, documents, pauses).
"""

from __future__ import annotations

from policies import base as p
from policies.registry import get_policy
from requests_app import sql_memo
from requests_app.lookups import among
from requests_app.models import (
    CaseRecord,
    DisclosureDecision,
    InformationRequest,
    ParentsInformed,
    Redaction,
    SensitiveDetail,
    Team,
    User,
)

SECURE_DOMAINS = (
    "pnn.police.uk", "police.uk", "nhs.net", "gov.uk", "cjsm.net", "gcsx.gov.uk", "egress",
)


def policy_for(request: InformationRequest):
    return get_policy(request.council.slug)


def person(user: User | None) -> p.PersonRef | None:
    if user is None:
        return None
    return p.PersonRef(user.pk, user.get_full_name() or user.username, user.email, user.phone)


_PERSON = ("id", "first_name", "last_name", "username", "email", "phone")


def directory(council_id: int) -> p.TeamDirectory:
    """The council's teams with their CSM and manager, read as plain values: every snapshot
    needs them and building ~20 Team and User instances was a third of a request page's
    snapshot (issue 12). The same refs as team_ref."""
    rows = sql_memo.rows(("team_directory", council_id), lambda: Team.objects.filter(
        council_id=council_id).values_list(
        "pk", "name", "kind", "locality", "exists",
        *(f"csm__{f}" for f in _PERSON), *(f"manager__{f}" for f in _PERSON)), prepare=True)
    width = len(_PERSON)
    return p.TeamDirectory(tuple(
        p.TeamRef(*row[:5], _person_values(row[5:5 + width]), _person_values(row[5 + width:]))
        for row in rows))


def _person_values(values) -> p.PersonRef | None:
    """person(), from (id, first name, last name, username, email, phone)."""
    pk, first, last, username, email, phone = values
    if pk is None:
        return None
    return p.PersonRef(pk, f"{first} {last}".strip() or username, email, phone)


def team_ref(team: Team | None) -> p.TeamRef | None:
    if team is None:
        return None
    return p.TeamRef(
        team.pk, team.name, team.kind, team.locality, team.exists,
        person(team.csm), person(team.manager),
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def case_snapshot(case: CaseRecord, teams: p.TeamDirectory) -> p.CaseSnapshot:
    details = list(case.sensitive_details.all())

    def of(kind):
        return tuple(d.value for d in details if d.kind == kind)

    placement = of(SensitiveDetail.Kind.PLACEMENT_ADDRESS)
    return p.CaseSnapshot(
        reference=case.reference,
        name=case.name,
        date_of_birth=case.date_of_birth,
        is_open=case.is_open,
        closed_on=case.closed_on,
        has_cp_history=case.has_cp_history,
        allocated_worker=person(case.allocated_worker),
        allocated_team=teams.get(case.allocated_team_id) if case.allocated_team_id else None,
        last_team=teams.get(case.last_team_id) if case.last_team_id else None,
        locality=case.locality,
        on_electronic=case.on_electronic,
        on_paper=case.on_paper,
        on_microfilm=case.on_microfilm,
        mash_enquiry_only=case.mash_enquiry_only,
        care_order=case.care_order,
        in_care=case.in_care,
        adopted=case.adopted,
        placement_address=placement[0] if placement else "",
        adopter_names=of(SensitiveDetail.Kind.ADOPTER),
        informant_names=of(SensitiveDetail.Kind.INFORMANT),
        third_party_names=of(SensitiveDetail.Kind.THIRD_PARTY),
        disclosure_restrictions=_lines(case.disclosure_restrictions),
        family_wishes=_lines(case.family_wishes),
        parental_responsibility=tuple(pr.name for pr in case.parental_responsibility.all()),
    )


def actor_snapshot(user) -> p.ActorSnapshot | None:
    if user is None or not user.is_authenticated:
        return None
    memberships = user.membership_rows
    supervised_teams = [team for role, team in memberships if role in ("team_manager", "csm")]
    supervisees = frozenset(
        User.objects.filter(
            memberships__team_id__in=supervised_teams, memberships__role="social_worker"
        ).values_list("pk", flat=True)
    ) if supervised_teams else frozenset()
    return p.ActorSnapshot(
        id=user.pk,
        name=user.get_full_name() or user.username,
        roles=frozenset(role for role, _team in memberships),
        team_ids=frozenset(team for _role, team in memberships),
        supervisee_ids=supervisees,
    )


def prefetched(instance, name: str):
    """The related rows a page already loaded with prefetch_related (so the snapshot and the
    page share one query per relation), or None: then the caller queries as before."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def latest_pack(request: InformationRequest):
    loaded = prefetched(request, "packs")
    if loaded is None:
        return request.packs.order_by("-version").first()
    return max(loaded, key=lambda pack: pack.version, default=None)


def _secure(address: str) -> bool:
    address = address.lower()
    return bool(address) and any(domain in address for domain in SECURE_DOMAINS)


def request_snapshot(request: InformationRequest, teams: p.TeamDirectory | None = None):
    teams = teams or directory(request.council_id)
    subjects = prefetched(request, "subjects")
    if subjects is None:
        subjects = (
            request.subjects.select_related("allocated_worker")
            .prefetch_related("sensitive_details", "parental_responsibility")
            .order_by("pk")
        )
    else:
        subjects = sorted(subjects, key=lambda case: case.pk)
    requester = request.requester
    decisions = list(request.decisions.all())
    sharing = [d for d in decisions if d.about == DisclosureDecision.Subject.SHARING]
    last_sharing = sharing[-1] if sharing else None
    hard_copies = list(request.hard_copy_requests.all())
    hcr = hard_copies[-1] if hard_copies else None
    hc_decision = hcr.decision if hcr and hcr.decision_id else None
    pauses = tuple(
        p.Pause(pause.started_on, pause.ended_on, pause.reason) for pause in request.pauses.all()
    )
    parents = request.parents_informed
    pack = latest_pack(request)
    retrievals = list(request.retrievals.all())
    child = request.child_permission
    case_refs = [case_snapshot(c, teams) for c in subjects]
    pr_names = frozenset(n for c in case_refs for n in c.parental_responsibility)
    return p.RequestSnapshot(
        council=request.council.slug,
        reference=request.reference,
        request_type=request.request_type,
        channel=request.channel,
        received_at=request.received_at,
        received_by_team_kind=request.received_by_team.kind if request.received_by_team else "",
        requester=p.RequesterSnapshot(
            name=requester.name,
            organisation=requester.organisation,
            agency_type=requester.agency_type,
            email=requester.secure_email or requester.email,
            phone=requester.phone,
            secure_email=_secure(requester.secure_email),
            identity_evidence=requester.identity_evidence,
        ),
        subjects=tuple(case_refs),
        what_is_asked=request.information_sought,
        on_behalf_of_subject=requester.agency_type in ("subject", "parent", "solicitor")
        and request.request_type == "subject_access",
        directory=teams,
        large_volume=request.large_volume,
        asks_for_printed_files=request.asks_for_printed_files,
        working_with_subject=request.working_with_subject,
        specific_information=request.specific_information,
        consent=request.consent or p.Consent.NOT_OBTAINED,
        consent_evidence=request.consent_evidence,
        lawful_basis=request.lawful_basis,
        public_interest_justification=request.public_interest_justification,
        necessity_note=request.necessity_note,
        identity_verified_at_triage=request.identity_verified_at is not None,
        identity_reverified_by_worker=request.identity_reverified_at is not None,
        parents_informed=parents == ParentsInformed.INFORMED,
        parents_exception=parents if parents and parents != ParentsInformed.INFORMED else "",
        court_order=request.court_order,
        pr_permissions=(pr_names if request.parental_responsibility_permission
                        else frozenset(request.pr_permissions) & pr_names),
        child_permission=child == "given",
        child_of_sufficient_understanding=(
            None if not child else child != "not_of_understanding"
        ),
        childrens_guardian_appointed=request.childrens_guardian_appointed,
        criminal_investigation=request.criminal_investigation,
        family_wishes_acknowledged=request.family_wishes_acknowledged,
        subject_informed=request.subject_informed,
        deletion_requested=request.deletion_requested,
        deletion_acknowledged=bool(request.deletion_response.strip()),
        family_informed_after_sharing=request.family_informed_after == ParentsInformed.INFORMED,
        family_informed_exception=(
            request.family_informed_after
            if request.family_informed_after not in ("", ParentsInformed.INFORMED)
            else ""
        ),
        meeting_kind=request.meeting_kind,
        requester_attended_or_invited=request.requester_attended_or_invited,
        minutes_signed_by_chair=request.minutes_signed_by_chair,
        chair_agreed=request.chair_agreed,
        state=request.state,
        completed_steps=frozenset(request.completed_steps),
        pending_check=request.pending_check,
        check_requested_by_id=request.check_requested_by_id,
        referred_team_kind=request.referred_team.kind if request.referred_team_id else "",
        referral_rule_ids=tuple(request.route_rule_ids) if request.referred_team_id else (),
        allocated_worker_id=request.allocated_worker_id,
        pack_second_checker_id=pack.second_checked_by_id if pack else None,
        paper_files_out=any(r.medium == "paper" and r.retrieved_at and not r.returned_at
                            for r in retrievals),
        clock_paused=any(x.end is None for x in pauses),
        sharing_decision=(
            p.SharingDecision(
                last_sharing.decided_by_id,
                shared=last_sharing.outcome == DisclosureDecision.Outcome.APPROVED,
                reason=last_sharing.reasons,
                decided_at=last_sharing.decided_at,
            )
            if last_sharing
            else None
        ),
        hard_copy_request=(
            p.HardCopyRequest(
                items=tuple(hcr.item_list),
                approver_id=hcr.approver_id,
                approved_by_id=(
                    hc_decision.decided_by_id
                    if hc_decision and hc_decision.outcome == DisclosureDecision.Outcome.APPROVED
                    else None
                ),
            )
            if hcr
            else None
        ),
        documents=_documents(request),
        send=(
            p.SendDetails(
                method=hcr.method, address_confirmed=hcr.address_confirmed,
                sender_id=hcr.sent_by_id, second_checker_id=hcr.second_checked_by_id,
                address=hcr.sent_to,
            )
            if hcr and hcr.method
            else None
        ),
        clock=p.ClockFacts(
            pauses=pauses,
            extension=(
                p.Extension(request.extension_days, request.extension_reason)
                if request.extension_days
                else None
            ),
            extensions_granted=1 if request.extension_days else 0,
        ),
    )


def _documents(request: InformationRequest) -> tuple[p.DocumentSnapshot, ...]:
    """The documents that would go: those in the pack being prepared, if there is one (a
    document left out of the pack is not released, ALL-5); otherwise every document on the
    request except copies of what already went.

    `redacted` means someone confirmed every passage the author's consent would cover is
    redacted (ALL-5) — and nothing was redacted or undone since: one redaction alone never
    counts."""
    pack = latest_pack(request)
    if pack is not None and pack.status != "sent":
        documents = [item.document for item in pack.items.select_related("document")]
    elif (loaded := prefetched(request, "documents")) is not None:
        documents = [d for d in loaded if not d.is_disclosure_copy]
    else:
        documents = list(request.documents.filter(is_disclosure_copy=False))
    if not documents:
        return ()
    counts: dict[int, int] = {}
    changed: dict[int, object] = {}
    # Plain values through a kept, prepared statement: the request page reads this every time.
    for document_id, created_at, undone_at in sql_memo.rows(
            "policy_adapter.redactions", lambda ids: Redaction.objects.filter(
                among("document", ids)).values_list("document_id", "created_at", "undone_at"),
            [d.pk for d in documents], prepare=True):
        if undone_at is None:
            counts[document_id] = counts.get(document_id, 0) + 1
        last = max(filter(None, (created_at, undone_at)))
        if document_id not in changed or last > changed[document_id]:
            changed[document_id] = last

    def confirmed(d) -> bool:
        at = d.redaction_confirmed_at
        return (at is not None and counts.get(d.pk, 0) > 0
                and (d.pk not in changed or changed[d.pk] <= at))

    return tuple(
        p.DocumentSnapshot(
            d.pk, d.title, d.is_third_party, d.author_name, d.author_organisation,
            d.author_consent, redacted=confirmed(d), redaction_count=counts.get(d.pk, 0),
            use_restrictions=d.use_restrictions, child_protection=d.concerns_child_protection,
        )
        for d in documents
    )
