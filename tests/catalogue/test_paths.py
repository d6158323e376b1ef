"""No dead ends, and no council's rules on another council's request.

For each council, each kind of request and each kind of case record in the demo, a request is
logged as the front door would log it (without the facts later steps need, so they must be
recordable where they arise) and every path through the actions the council's catalogue offers
is explored: from every state reached, someone can move the request on, and every path ends
closed, referred or refused. Along the way every offer, case note and page is checked for
another council's rule IDs.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.test import Client

from requests_app import access
from requests_app.models import (
    CaseNote,
    CaseRecord,
    Document,
    InformationRequest,
    Requester,
    User,
)
from requests_app.services import documents, intake
from requests_app.views.actions import ACTIONS, build_form
from tests.catalogue.helpers import foreign_rule_ids, valid_data
from tests.services.conftest import load_demo_without_requests

pytestmark = pytest.mark.django_db

ENDS = {"closed", "refused", "refused_at_triage", "referred_out", "withdrawn"}
# Steps that never move a request on by themselves: explored elsewhere, not as paths.
SIDE = {"pause", "resume", "extend", "reallocate", "override_route", "withdraw"}
# (request type, case scenario, requester's agency type, a third-party letter on file)
COMBOS = {
    "nottinghamshire": [
        ("information", "closed_defunct_team", "other_council", False),
        ("information", "open", "other_council", True),
        ("information", "closed_paper", "cafcass", False),
        ("information", "mash_only", "other_council", False),
        ("police_investigation", "open", "police", False),
        ("ofsted_enquiry", "closed_cp_history", "ofsted", False),
        ("subject_access", "open", "other_council", False),
    ],
    "devon": [
        ("police_investigation", "open", "police", False),
        ("cafcass_public_law", "open_care_order", "cafcass", True),
        ("cafcass_section7", "closed_electronic", "cafcass", False),
        ("dbs", "closed_electronic", "dbs", False),
        ("meeting_minutes", "open", "cafcass", False),
        ("subject_access", "open", "cafcass", False),
    ],
    "camden": [
        ("information", "open_care_order", "health", True),
        ("network_check", "open", "health", False),
        ("information", "closed_electronic", "health", False),
        ("police_investigation", "restricted", "police", False),
    ],
    "brighton_hove": [
        ("information", "aged_16_plus", "health", True),
        ("information", "adopted", "school", False),
        ("subject_access", "open", "health", False),
    ],
}
PREFIX = {"nottinghamshire": "notts", "devon": "devon", "camden": "camden",
          "brighton_hove": "bh"}


@pytest.fixture(scope="module")
def demo_people(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_without_requests()
        yield
        transaction.set_rollback(True)


def _case(slug: str, label: str) -> CaseRecord:
    """The demo's case record of this scenario (fixtures/demo.py `scenarios`)."""
    from datetime import date

    records = CaseRecord.objects.filter(council__slug=slug)
    worker = f"{PREFIX[slug]}.sw"
    found = {
        "open": records.filter(allocated_worker__username=worker, has_cp_history=True,
                               care_order=False, disclosure_restrictions="",
                               family_wishes=""),
        "aged_16_plus": records.filter(allocated_worker__username=worker).order_by(
            "date_of_birth"),
        "open_care_order": records.filter(is_open=True, care_order=True),
        "restricted": records.filter(is_open=True).exclude(disclosure_restrictions=""),
        "closed_electronic": records.filter(closed_on=date(2023, 3, 14)),
        "closed_paper": records.filter(closed_on=date(2009, 6, 30)),
        "mash_only": records.filter(mash_enquiry_only=True),
        "adopted": records.filter(adopted=True),
        "closed_cp_history": records.filter(closed_on=date(2024, 11, 5)),
        "closed_defunct_team": records.filter(closed_on=date(2019, 5, 20)),
    }[label]
    return found.first()


def _log(slug, rtype, label, agency, letter):
    logger_name = f"{PREFIX[slug]}.saferrec" if rtype == "dbs" else f"{PREFIX[slug]}.scimt"
    logger = User.objects.get(username=logger_name)
    who = Requester.objects.filter(council__slug=slug, agency_type=agency).first()
    subject = _case(slug, label)
    assert subject is not None, (slug, label)
    # What the front door records: nothing of what later steps will ask (no dead ends).
    request = intake.log_request(
        logger, requester=who, subjects=[subject], request_type=rtype, channel="email",
        information_sought="Dates and outcome of the last assessment.", consent="obtained",
        consent_evidence="Signed form from the parent.", lawful_basis="Children Act 1989 s.47",
        working_with_subject=True, specific_information=True, identity_verified=True,
        criminal_investigation=rtype == "police_investigation",
        childrens_guardian_appointed=rtype == "cafcass_public_law",
    )
    if letter:  # already on file when the request arrives (documents open after triage)
        Document.objects.create(
            request=request, title="GP letter", kind=Document.Kind.TEXT,
            text="From the GP about the child.", is_third_party=True,
            author_name="Dr Helen Marsh", author_organisation="GP surgery",
            author_consent="requested", uploaded_by=_any(slug, "social_worker"))
    return request


def _any(slug, role):
    return User.objects.filter(council__slug=slug, memberships__role=role).first()


def _key(r: InformationRequest):
    docs = tuple(Document.objects.filter(request=r).order_by("pk").values_list(
        "author_consent", "redaction_confirmed_at"))
    return (r.pk, r.state, tuple(sorted(r.completed_steps)), r.pending_check, r.parents_informed,
            bool(r.necessity_note), r.identity_reverified_at is not None, r.subject_informed,
            r.family_informed_after, tuple(r.pr_permissions), r.child_permission, r.court_order,
            r.meeting_kind, r.minutes_signed_by_chair, r.chair_agreed, r.deletion_requested,
            r.decisions.filter(about="sharing").count(), min(r.hard_copy_requests.count(), 1),
            r.allocated_worker_id,
            r.family_wishes_acknowledged, docs)


class Explorer:
    def __init__(self, slug):
        self.slug = slug
        self.people = list(User.objects.filter(council__slug=slug).order_by("username"))
        self.seen: set = set()
        self.paths: Counter = Counter()
        self.client = Client()
        self.pages = 0
        self.forms_seen: set = set()

    def moves(self, request):
        """Every (label, who, run) that someone may take now."""
        out = []
        request = InformationRequest.objects.get(pk=request.pk)
        if request.state == "received":
            for user in self.people:
                if access.may_log_requests(user) and access.holds(user, request):
                    out.append(("triage", user, lambda r, u=user: intake.triage(r, u)))
                    break
        holders = [u for u in self.people if access.holds(u, request)]
        consent_asked = False
        fresh = request  # one snapshot for everyone's offers (cached per person on it)
        for user in holders:
            for offer in access.offers_for(user, fresh):
                self.check_offer(offer)
                if not offer.enabled or offer.transition not in ACTIONS:
                    continue
                spec = ACTIONS[offer.transition]

                def run(r, u=user, o=offer, s=spec):
                    form = build_form(s, o, r, valid_data(build_form(s, o, r)), {})
                    assert form.is_valid(), (o.transition, u.username, form.errors)
                    s.run(r, u, form, None)

                out.append((offer.transition, user, run))
            if not consent_asked and not access.document_problems(user, fresh):
                consent_asked = True  # one person recording it is one path, whoever it is
                for doc in Document.objects.filter(request=fresh, is_third_party=True) \
                        .exclude(author_consent="granted"):
                    out.append(("record consent", user,
                                lambda r, u=user, d=doc: documents.record_consent(
                                    d, u, is_third_party=True, author_name=d.author_name,
                                    author_organisation=d.author_organisation,
                                    author_consent="granted",
                                    consent_evidence="Letter from the author.")))
        return out

    def check_offer(self, offer):
        text = " ".join([*offer.reasons, *offer.note_rule_ids, *offer.fact_rule_ids,
                         offer.label, *(c.label + " ".join(c.rule_ids) for c in offer.checks)])
        assert not foreign_rule_ids(text, self.slug), (self.slug, offer)

    def check_pages(self, request, users):
        notes = " ".join(" ".join(n.rule_ids) + " " + n.text
                         for n in CaseNote.objects.filter(request=request))
        assert not foreign_rule_ids(notes, self.slug), (self.slug, request.reference, notes)
        for user in sorted(users, key=lambda u: u.username)[:1]:
            self.client.force_login(user)
            page = self.client.get(f"/requests/{request.reference}/").content.decode()
            self.pages += 1
            assert not foreign_rule_ids(page, self.slug), (self.slug, user.username)
            for offer in access.offers_for(user, InformationRequest.objects.get(pk=request.pk)):
                variant = (offer.transition, offer.facts, offer.methods, offer.checks)
                if offer.enabled and offer.transition in ACTIONS and (
                        variant not in self.forms_seen):
                    self.forms_seen.add(variant)
                    form_page = self.client.get(
                        f"/requests/{request.reference}/{offer.transition}/").content.decode()
                    self.pages += 1
                    assert not foreign_rule_ids(form_page, self.slug), (
                        self.slug, offer.transition)

    def explore(self, request, trail=(), depth=0):
        request = InformationRequest.objects.get(pk=request.pk)
        if request.state in ENDS:
            self.paths[" → ".join(trail) + f" ⇒ {request.state}"] += 1
            return
        key = _key(request)
        if key in self.seen:
            return
        self.seen.add(key)
        assert depth < 25, trail
        moves = self.moves(request)
        self.check_pages(request, {u for _, u, _ in moves})
        onward = [m for m in moves if m[0] not in SIDE]
        assert onward, (f"dead end in {self.slug}: {request.reference} in "
                        f"'{request.state}' after {' → '.join(trail)}")
        for label, user, run in onward:
            with transaction.atomic():
                run(InformationRequest.objects.get(pk=request.pk))
                role = user.username.split(".", 1)[1]
                self.explore(request, (*trail, f"{label} ({role})"), depth + 1)
                transaction.set_rollback(True)


@pytest.mark.parametrize("slug", list(COMBOS))
def test_every_path_of_every_request_kind_ends_closed_referred_or_refused(
        demo_people, db, slug):
    explorer = Explorer(slug)
    walked = defaultdict(int)
    # The front door's log form asks only this council's questions.
    explorer.client.force_login(User.objects.get(username=f"{PREFIX[slug]}.scimt"))
    form_page = explorer.client.get("/requests/new/").content.decode()
    assert "Type of request" in form_page
    assert not foreign_rule_ids(form_page, slug), slug
    for rtype, label, agency, letter in COMBOS[slug]:
        request = _log(slug, rtype, label, agency, letter)
        before = sum(explorer.paths.values())
        explorer.explore(request)
        walked[(rtype, label)] = sum(explorer.paths.values()) - before
        assert walked[(rtype, label)] > 0, (rtype, label)
    print(f"\n{slug}: {sum(explorer.paths.values())} paths, {len(explorer.seen)} states, "
          f"{explorer.pages} pages checked")
    for (rtype, label), n in walked.items():
        print(f"  {rtype} about a {label} case: {n} paths")
    for path, n in sorted(explorer.paths.items())[:200]:
        print(f"    {n} × {path}")
