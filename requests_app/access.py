"""Who may see or do what. The only module that decides access.

Rules of the house:
- Council isolation is absolute: nothing from another council is ever visible; an outsider
  gets 404, never a hint that the request exists.
- Someone who may look but not act gets 403 on a POST.
- Per-request access is guardian object permissions on the direct-FK tables
  (`RequestUserObjectPermission`, `RequestGroupObjectPermission`), granted to the team or
  person a request is routed or allocated to and removed when it moves on.
- The first point of contact (SCIMT and equivalents) sees every request of their council:
  they triage them all. They act on a request only while it awaits triage, then step back.
- *Which* steps a person may take, and what stops them, is the council policy's answer
  (`policies.catalogue`, `CouncilPolicy.offers`): this module adds only council isolation and
  whether the request is with this person (or their team) now.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from requests_app import sql_memo
from requests_app.models import (
    InformationRequest,
    OpenWork,
    Pack,
    RequestGroupObjectPermission,
    RequestUserObjectPermission,
    Role,
    User,
)

VIEW = "view_informationrequest"
ACT = "act_on_request"

# Roles that see every request of their own council.
COUNCIL_WIDE_ROLES = frozenset({Role.SCIMT_OFFICER})


def _is_council_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.council_id)


def sees_whole_council(user) -> bool:
    return _is_council_member(user) and not COUNCIL_WIDE_ROLES.isdisjoint(user.roles)


def may_log_requests(user) -> bool:
    """Whoever the council's policy says logs requests (the first point of contact; in Devon
    also Safer Recruitment for DBS requests, DEVON-5). They see what they logged."""
    if not _is_council_member(user):
        return False
    from policies.registry import get_policy

    return not get_policy(user.council.slug).loggers().isdisjoint(user.roles)


def _council_policy_roles(user, question: str) -> frozenset[str]:
    from policies.registry import get_policy

    return getattr(get_policy(user.council.slug), question)()


def may_read_audit(user) -> bool:
    """Whoever the council's policy names (`audit_readers`) reads its audit trail, and only
    their own council's."""
    return _is_council_member(user) and not _council_policy_roles(
        user, "audit_readers").isdisjoint(user.roles)


def may_read_register(user) -> bool:
    """Whoever the council's policy names (`register_readers`) reads a child's disclosure
    register, for the children of their own council."""
    return _is_council_member(user) and not _council_policy_roles(
        user, "register_readers").isdisjoint(user.roles)


def require_audit_reader(user) -> None:
    if not may_read_audit(user):
        raise PermissionDenied("Only information governance and the managers your council's "
                               "policy names can read the audit trail.")


def get_case_record_for_register(user, case_id: int):
    """A child's case record for their disclosure register: 404 outside the user's council
    (no hint it exists), 403 for someone in it whom the policy does not let read registers."""
    from requests_app.models import CaseRecord

    if not _is_council_member(user):
        raise Http404("No such record.")
    try:
        case = CaseRecord.objects.select_related("council").get(pk=case_id,
                                                                council_id=user.council_id)
    except CaseRecord.DoesNotExist:
        raise Http404("No such record.") from None
    if not may_read_register(user):
        raise PermissionDenied("Only information governance, managers and access to "
                               "information officers your council's policy names can read "
                               "a child's disclosure register.")
    return case


def get_request_for_sent_pack(user, reference: str, version: int) -> InformationRequest:
    """The request whose pack this person may download: any request they can see, or, for a
    register reader, a request of their council whose pack at this version was sent (the
    register links to the exact file that left the council)."""
    try:
        return get_request_for_user(user, reference)
    except Http404:
        if not may_read_register(user):
            raise
    found = InformationRequest.objects.filter(
        council_id=user.council_id, reference=reference, packs__version=version,
        packs__status=Pack.Status.SENT).select_related("council", "requester").first()
    if found is None:
        raise Http404("No request with that reference.")
    return found


def may_read_reports(user) -> bool:
    """Whoever the council's policy names as readers of its reports (managers and
    information governance). They see their own council's figures only."""
    if not _is_council_member(user):
        return False
    from policies.registry import get_policy

    return not get_policy(user.council.slug).report_readers().isdisjoint(user.roles)


def report_refusal(user) -> str:
    """Why this person may not read the reports, in the words of the 403 page."""
    from policies.registry import get_policy

    if not _is_council_member(user):
        return "Reports are for the staff of a council."
    labels = dict(Role.choices)
    readers = sorted(labels[r] for r in get_policy(user.council.slug).report_readers())
    return ("Your council's reports are for these roles: " + ", ".join(readers)
            + ". Your role is not one of them.")


def may_search_case_records(user) -> bool:
    """Who may search the council's children's case records (not only the requests about
    them): whoever logs requests, who already looks children up to log a request for them.
    Everyone else finds the requests they may see."""
    return may_log_requests(user)


_PERMISSION_IDS: dict[str, int] = {}


def _permission_id(codename: str) -> int:
    """The permission's id, read once per process: every visibility and action check
    compares guardian's rows to it, and a literal lets each lookup be an index-only probe of
    (holder, permission, content_object) with nothing to join or compile. Forgotten whenever
    the permissions are recreated (post_migrate: a migration or a test's flush)."""
    if codename not in _PERMISSION_IDS:
        from django.contrib.auth.models import Permission

        _PERMISSION_IDS[codename] = Permission.objects.only("pk").get(
            codename=codename, content_type__app_label=InformationRequest._meta.app_label,
            content_type__model=InformationRequest._meta.model_name).pk
    return _PERMISSION_IDS[codename]


def _forget_permission_ids(**kwargs) -> None:
    _PERMISSION_IDS.clear()


post_migrate.connect(_forget_permission_ids, dispatch_uid="access.forget_permission_ids")


def _group_ids(user):
    """The person's teams' groups: the ids read with them at sign-in (auth_backend), so every
    check compares with a literal list; otherwise a subquery."""
    # getattr, not user.__dict__: a lazy stand-in for the person (Django's request.user before
    # ResolvedUserMiddleware) never holds the attribute in its own __dict__.
    preloaded = getattr(user, "_group_ids", None)
    if preloaded is not None:
        return list(preloaded)
    return user.groups.through.objects.filter(user=user).values("group_id")


def _granted(user, codename: str) -> Q:
    """Logged by this person, or granted to them or to one of their teams' groups: checked
    per request by index probes of guardian's direct-FK tables (holder, permission,
    content_object), the permission id a scalar subquery (no join).

    Every caller narrows the requests first by an index (the council's open work through the
    partial index `request_open_work`, or the council in due-date order with a LIMIT, or one
    reference), so the cost follows the open work or the page, never the person's history
    (ADR 0018: hashing the person's grants instead cost 250 ms for a CSM at 100k requests)."""
    # The redundant `content_object <= pk` keeps each EXISTS a probe per request: with only
    # the equality, PostgreSQL turns an EXISTS inside an OR into a hashed subplan and hashes
    # the person's every grant first (170 ms for a CSM at a million requests, against 3 ms
    # for the probes of a page).
    by_user = RequestUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), content_object__lte=OuterRef("pk"), user=user,
        permission_id=_permission_id(codename))
    by_group = RequestGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), content_object__lte=OuterRef("pk"),
        permission_id=_permission_id(codename), group_id__in=_group_ids(user))
    return Q(created_by=user) | Q(Exists(by_user)) | Q(Exists(by_group))


def _granted_open_work(user, *, as_one_set: bool = False) -> Q:
    """Logged by this person, or granted to them or one of their teams' groups, among open
    requests only: read from the open grants alone (partial indexes user_grant_open_work and
    group_grant_open_work), so the cost follows the person's open work, not their history
    (ADR 0026). Only for sets already limited to open states."""
    view = _permission_id(VIEW)
    by_user = RequestUserObjectPermission.objects.filter(
        user=user, permission_id=view, request_open=True).values("content_object_id")
    by_group = RequestGroupObjectPermission.objects.filter(
        permission_id=view, request_open=True,
        group_id__in=_group_ids(user),
    ).values("content_object_id")
    if as_one_set:
        # To count: one set of ids read from those indexes, then looked up by primary key.
        # The open requests a person holds are a few of the council's, so this beats testing
        # each of the council's open requests against the grants (11 ms against 3 ms at a
        # million requests). A page of a list reads in due-date order and stops early instead.
        logged = InformationRequest.objects.filter(created_by=user).values("pk")
        return Q(pk__in=by_user.union(by_group, logged))
    return Q(created_by=user) | Q(pk__in=by_user) | Q(pk__in=by_group)


def visible_open_requests(user, open_states, *, to_count: bool = False
                          ) -> QuerySet[InformationRequest]:
    """The open requests this person may see (the same answer as visible_requests limited to
    open states), for the queues that count (`to_count`) and list open work."""
    if not _is_council_member(user):
        return InformationRequest.objects.none()
    in_council = InformationRequest.objects.filter(council_id=user.council_id,
                                                   state__in=open_states)
    if sees_whole_council(user):
        return in_council
    return in_council.filter(_granted_open_work(user, as_one_set=to_count))


def counted_open_work(user) -> QuerySet[OpenWork] | None:
    """The person's open work as rows of `OpenWork` (ADR 0038), to count it: the same requests
    as visible_open_requests gives, kept by PostgreSQL's triggers. None where it is counted
    from the requests themselves: for whoever sees the whole council (their count is the
    council's open work), anyone outside a council, and on the SQLite demo (no triggers)."""
    if (not _is_council_member(user) or sees_whole_council(user)
            or connections[OpenWork.objects.db].vendor != "postgresql"):
        return None
    return OpenWork.objects.filter(holder_id=user.pk, council_id=user.council_id)


def visible_requests(user) -> QuerySet[InformationRequest]:
    """Every request this person may open. Superusers administer reference data, not cases."""
    if not _is_council_member(user):
        return InformationRequest.objects.none()
    in_council = InformationRequest.objects.filter(council_id=user.council_id)
    if sees_whole_council(user):
        return in_council
    return in_council.filter(_granted(user, VIEW))


def get_request_for_user(user, reference: str, **annotations) -> InformationRequest:
    """The request, if this person may see it; otherwise 404 (never 403: no hint it exists).
    ``annotations``: anything the page wants read in the same query."""
    # One request by its reference: whether the person may see it is read with it, as SQL
    # (`_granted_sql`, the same answer as `_granted`), which costs a fraction of building
    # visible_requests' subqueries on every page under a request.
    group_ids = getattr(user, "_group_ids", None)
    checked = (_is_council_member(user) and not sees_whole_council(user)
               and group_ids is not None)
    rows = (InformationRequest.objects.filter(council_id=user.council_id) if checked
            else visible_requests(user))
    if checked:
        annotations["may_view_now"] = _granted_sql(user, VIEW, group_ids, or_logged=True)
    # Every page under a request reads it so: its SQL (a hundred-odd columns) is compiled
    # once per person and set of annotations, not on every page (sql_memo; the tests compare
    # each reuse with a fresh compilation).
    found = sql_memo.instances(
        ("access.get_request_for_user", sql_memo.person_key(user), checked,
         tuple(annotations)),
        lambda ref: rows.select_related(
            "council", "requester", "received_by_team", "referred_team", "routed_to",
            "routed_team", "allocated_worker").annotate(**annotations).filter(reference=ref),
        reference, prepare=True)
    if len(found) != 1 or (checked and not found[0].may_view_now):
        raise Http404("No request with that reference.")
    return found[0]


def get_request_for_action(user, reference: str) -> InformationRequest:
    """The request, if this person may act on it: 404 for outsiders, 403 for onlookers."""
    request = get_request_for_user(user, reference)
    if not may_act(user, request):
        raise PermissionDenied("You can see this request but it is not with you to act on.")
    return request


def holds(user, request: InformationRequest) -> bool:
    """The request is with this person (or their team) at its current step. Never across
    councils. The first point of contact, and whoever logged it, hold it only until triage."""
    if not _is_council_member(user) or user.council_id != request.council_id:
        return False
    if request.state == "received" and (
        sees_whole_council(user) or request.created_by_id == user.pk
    ):
        return True
    # Asked several times a page (offers, documents, pack, notes): answered once per loaded
    # request and person, in one query (guardian's has_perm is two, uncached, each time).
    answers = request.__dict__.setdefault("_holds", {})
    if user.pk not in answers:
        answers[user.pk] = _may_act_now(user, request)
    return answers[user.pk]


def may_act_now_flag(user):
    """Whether the person (or one of their teams) holds the request's act permission, as an
    expression: the request page reads it with the request itself (`holds` then asks
    nothing more). The same answer as `_may_act_now`.

    Literal SQL over guardian's two tables when the person's groups were read at sign-in:
    the same two index probes, but the ORM's two Exists cost ~4,000 Python calls to build
    and compile on every request page (issue 12, ADR 0028). Only ever an annotation or
    filter on a query of requests itself, whose table is then unaliased."""
    group_ids = getattr(user, "_group_ids", None)  # as in _group_ids: user may be lazy
    if group_ids is None:
        return _may_act_now_orm(user)
    return _granted_sql(user, ACT, group_ids)


def _granted_sql(user, codename: str, group_ids, *, or_logged: bool = False) -> RawSQL:
    """Literal SQL: the person, or one of these groups, holds the permission on the request
    (and, with ``or_logged``, or the person logged it). Only ever on a query of requests
    itself, whose table is then unaliased."""
    table_name = InformationRequest._meta.db_table
    request_id = f'"{table_name}"."{InformationRequest._meta.pk.column}"'
    clauses, params = [], []
    if or_logged:
        clauses.append(f'"{table_name}"."{_column(InformationRequest)("created_by")}" = %s')
        params.append(user.pk)
    for model, holder, ids in ((RequestUserObjectPermission, "user", [user.pk]),
                               (RequestGroupObjectPermission, "group", list(group_ids))):
        if ids:
            table, col = model._meta.db_table, _column(model)
            clauses.append(
                f'EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."{col("content_object")}"'
                f' = {request_id} AND "{table}"."{col("permission")}" = %s'
                f' AND "{table}"."{col(holder)}" IN ({", ".join(["%s"] * len(ids))}))')
            params += [_permission_id(codename), *ids]
    return RawSQL(" OR ".join(clauses), params, output_field=BooleanField())


def _column(model):
    return lambda field: model._meta.get_field(field).column


def _may_act_now_orm(user):
    by_user = RequestUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission_id=_permission_id(ACT))
    by_group = RequestGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), permission_id=_permission_id(ACT),
        group_id__in=_group_ids(user))
    return Exists(by_user) | Exists(by_group)


def read_with_request(user, request: InformationRequest, flag: bool) -> None:
    """Keep the act-permission flag read with the request as `holds`' answer for this person."""
    request.__dict__.setdefault("_holds", {})[user.pk] = bool(flag)


def _may_act_now(user, request: InformationRequest) -> bool:
    return InformationRequest.objects.filter(pk=request.pk).filter(
        may_act_now_flag(user)).exists()


may_act = holds


def may_write_letters(user, request: InformationRequest) -> bool:
    """Letters to the requester come from whoever holds the request, or from whoever logged
    it (the first point of contact writes back after a triage refusal or referral)."""
    return holds(user, request) or (
        _is_council_member(user) and user.council_id == request.council_id
        and request.created_by_id == user.pk
    )


def grant(request: InformationRequest, holder, *, act: bool = True) -> None:
    """Let a person or a team's group see (and act on) the request."""
    assign_perm(VIEW, holder, request)
    if act:
        assign_perm(ACT, holder, request)
    if not request.is_open:
        # A grant is made open (the usual case); on a closed request it is history, not
        # open work (ADR 0026: InformationRequest.save keeps this in step afterwards).
        grants = (RequestUserObjectPermission.objects.filter(user=holder)
                  if isinstance(holder, User) else
                  RequestGroupObjectPermission.objects.filter(group=holder))
        grants.filter(content_object=request).update(request_open=False)
    request.__dict__.pop("_holds", None)


def revoke_action(request: InformationRequest, holder) -> None:
    """The request moved on: the holder keeps sight of it (they worked on it) but cannot act."""
    remove_perm(ACT, holder, request)
    request.__dict__.pop("_holds", None)


def step_back(request: InformationRequest, user) -> None:
    """The request moved on from this person: they, and any team of theirs it was granted to
    (e.g. Safer Recruitment for a DBS request), keep sight of it but can no longer act."""
    revoke_action(request, user)
    held = RequestGroupObjectPermission.objects.filter(
        content_object=request, permission__codename=ACT, group__in=user.groups.all()
    ).select_related("group")
    for perm in held:
        revoke_action(request, perm.group)


# ---- transitions ---------------------------------------------------------------------------


def snapshot_for(request: InformationRequest):
    """The policy snapshot of a request, built once per loaded instance."""
    from requests_app.policy_adapter import request_snapshot

    cached = getattr(request, "_policy_snapshot", None)
    if cached is None:
        cached = request_snapshot(request)
        request._policy_snapshot = cached
    return cached


def actor_for(user):
    from requests_app.policy_adapter import actor_snapshot

    cached = getattr(user, "_actor_snapshot", None)
    if cached is None:
        cached = actor_snapshot(user)
        user._actor_snapshot = cached
    return cached


def forget_snapshots(request: InformationRequest, user=None) -> None:
    request.__dict__.pop("_policy_snapshot", None)
    request.__dict__.pop("_offers", None)
    request.__dict__.pop("_holds", None)
    if user is not None:
        user.__dict__.pop("_actor_snapshot", None)


def is_with(user, request: InformationRequest) -> bool:
    return holds(user, request)


def _policy(request: InformationRequest):
    from policies.registry import get_policy

    return get_policy(request.council.slug)


def may_take(user, request: InformationRequest, transition_name: str) -> bool:
    """May this person take this transition now? (Used as the FSM permission.)"""
    return not access_problems(user, request, transition_name)


def access_problems(user, request: InformationRequest, transition_name: str) -> list[str]:
    """Why this person may not take the transition: council, holding the request, and the
    council policy's "who may" (not its gates: the services run those with the form's facts)."""
    if not _is_council_member(user) or user.council_id != request.council_id:
        return ["You do not work for this council."]
    if not holds(user, request):
        return ["The request is not with you or your team at this step."]
    policy, snapshot = _policy(request), snapshot_for(request)
    offer = policy.offer(transition_name, snapshot, actor_for(user))
    if offer is None:
        return ["This step is not part of this council's process for this request."]
    who = policy.who_may(offer.step, snapshot)
    if not who.allows(actor_for(user)):
        return [r for r in offer.reasons if r.startswith(f"{who.rule_ids[0]}:")][:1] or [
            f"{who.rule_ids[0]}: {who.explanation}"]
    return []


def offers_for(user, request: InformationRequest):
    """The council's catalogue of actions for this person on this request: only steps that
    are their kind of job, and only while the request is with them. Triage has its own page."""
    from policies.catalogue import TRIAGE_TRANSITIONS

    cached = getattr(request, "_offers", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    found = ()
    if holds(user, request):
        names = [t.name for t in request.get_available_state_transitions()
                 if t.name not in TRIAGE_TRANSITIONS]
        found = _policy(request).offers(snapshot_for(request), actor_for(user), names,
                                        mine_only=True)
    request._offers = (user.pk, found)
    return found


# ---- documents, redaction and packs ----------------------------------------------------------

# Documents can be added and redacted while the request is being worked on; packs are built
# only from what a decision approved for sharing.
DOCUMENT_STATES = frozenset({
    "awaiting_decision", "awaiting_allocation", "with_worker", "awaiting_checks", "disclosed",
    "hard_copies_requested", "hard_copies_approved",
})
PACK_STATES = frozenset({"with_worker", "awaiting_checks", "hard_copies_approved"})


def document_problems(user, request: InformationRequest) -> list[str]:
    """Why this person may not add, redact or change documents on the request now (the
    council's REDACT step: CAMDEN-5 keeps it with the allocated worker or supervisor)."""
    from policies.base import Action

    if not _is_council_member(user) or user.council_id != request.council_id:
        return ["You do not work for this council."]
    if not holds(user, request):
        return ["The request is not with you or your team at this step."]
    if request.state not in DOCUMENT_STATES:
        return [f"Documents cannot be changed while the request is "
                f"'{request.get_state_display().lower()}'."]
    who = _policy(request).who_may(Action.REDACT, snapshot_for(request))
    if not who.allows(actor_for(user)):
        return [f"{who.rule_ids[0]}: {who.explanation}"]
    return []


def pack_problems(user, request: InformationRequest) -> list[str]:
    """Why this person may not build a disclosure pack now: only what was approved goes."""
    problems = document_problems(user, request)
    if problems:
        return problems
    if request.state not in PACK_STATES:
        return [f"A pack cannot be prepared while the request is "
                f"'{request.get_state_display().lower()}'."]
    loaded = getattr(request, "_prefetched_objects_cache", {}).get("decisions")
    if loaded is not None:  # the request page loaded them already
        shared = any(d.about == "sharing" and d.outcome == "approved" for d in loaded)
    else:
        shared = request.decisions.filter(about="sharing", outcome="approved").exists()
    if not shared:
        return ["ALL-2: Nothing has been approved for sharing yet: a pack holds only what a "
                "decision approved."]
    return []
