"""Every step a council's main path performs is shown "Done" on the request page, whether an
action of its own took it or its facts were recorded somewhere else: at logging (CAMDEN-2's
parents told), on another step's form (BH-6's young person told on the disclosure form) or
at closing (CAMDEN-7's family told afterwards). Each walk follows the README's walk-through
for that council, through the services."""

import html
import re

import pytest
from django.urls import reverse

from requests_app.models import CaseNote
from requests_app.services import closing, decisions, disclosure, hard_copies, intake
from tests.services.conftest import (
    case,
    closed_electronic,
    fresh,
    log,
    log_and_triage,
    notes,
    open_case,
)

pytestmark = pytest.mark.usefixtures("demo")
STEP = re.compile(r"<li>([^<]*?)( <strong class=\"govuk-tag govuk-tag--green\">Done</strong>)?"
                  r"</li>")


def steps_shown(client, user, request) -> dict[str, bool]:
    """The request page's "Steps for this council": each step's words, and whether it is
    shown done."""
    client.force_login(user)
    response = client.get(reverse("request_detail", args=[request.reference]))
    assert response.status_code == 200
    text = response.content.decode()
    listed = text.split("Steps for this council", 1)[1].split("</ol>", 1)[0]
    return {html.unescape(words).strip(): bool(done) for words, done in STEP.findall(listed)}


def not_done(client, user, request) -> list[str]:
    shown = steps_shown(client, user, request)
    assert shown, "no steps listed"
    return [words for words, done in shown.items() if not done]


def camden_walk(people, **facts):
    """README: a hospital asks about Amelia Barker's open case; parents told at logging."""
    sw = people["camden.sw"]
    request = log_and_triage(
        people["camden.scimt"], open_case("camden"), agency_type="health",
        consent="not_obtained", consent_evidence="",
        lawful_basis="Children Act 1989 s.47; Data Protection Act 2018 Sch 8",
        necessity_note="The ward needs to know who may collect the child.",
        **({"parents_informed": "informed"} | facts))
    decisions.record_decision(request, sw, reasons="Necessary for a safe discharge.")
    disclosure.disclose(fresh(request), sw, what_was_provided="That a plan is in place.",
                        method="secure_email", provided_to="asha.mehta@nhs.net")
    return request


def test_camden_walk_shows_parents_told_and_family_told_done(client, people):
    """CAMDEN-2 recorded at logging, CAMDEN-7 at closing: both steps are done."""
    sw = people["camden.sw"]
    request = camden_walk(people)
    shown = steps_shown(client, sw, fresh(request))
    assert shown["Tell the parents, or record the exception."]
    assert not shown["Tell the family what was shared."]

    closing.close(fresh(request), sw, family_informed_after="informed")

    assert not_done(client, sw, fresh(request)) == []
    closed = [n for n in notes(request, CaseNote.Kind.GENERAL) if n.text.startswith(
        "Request closed.")]
    assert closed and all("CAMDEN-7" in n.rule_ids for n in closed)
    assert not any("CAMDEN-5" in n.rule_ids for n in closed)


def test_camden_exception_recorded_at_logging_marks_the_parents_step_done(client, people):
    """CAMDEN-2 (b): the exception recorded instead of telling the parents."""
    request = camden_walk(people, parents_informed="criminal_investigation")

    shown = steps_shown(client, people["camden.sw"], fresh(request))

    assert shown["Tell the parents, or record the exception."]


def test_camden_parents_not_yet_told_is_not_done(client, people):
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health")

    shown = steps_shown(client, people["camden.sw"], fresh(request))

    assert not shown["Tell the parents, or record the exception."]
    assert not shown["Tell the family what was shared."]


def test_nottinghamshire_walk_shows_every_step_done(client, people):
    """README: Lily Kendrick's closed case whose team no longer exists, with hard copies."""
    scimt, csm, tm, sw, bs = (people[u] for u in (
        "notts.scimt", "notts.dcpt.csm", "notts.tm2", "notts.sw2", "notts.bs"))
    request = log_and_triage(
        scimt, case("nottinghamshire", closed_on__year=2019), consent="not_obtained",
        consent_evidence="",
        public_interest_justification="The child has moved; the assessment needs the history.")
    decisions.approve(request, csm, reasons="Necessary for the transfer-in assessment.")
    decisions.allocate(fresh(request), tm, worker=sw)
    disclosure.disclose(fresh(request), sw, what_was_provided="Dates of involvement.",
                        method="cryptshare", provided_to="jo.kerr@derbyshire.gov.uk",
                        identity_reverified=True)
    hard_copies.request_hard_copies(fresh(request), sw, items="Strategy discussion minutes")
    hard_copies.approve_hard_copies(fresh(request), csm, reasons="Needed for the assessment.")
    hard_copies.send_hard_copies(fresh(request), bs, method="cryptshare",
                                 sent_to="jo.kerr@derbyshire.gov.uk", address_confirmed=True)
    closing.close(fresh(request), sw)

    assert not_done(client, sw, fresh(request)) == []


def test_devon_walk_shows_every_step_done(client, people):
    """README: a CAFCASS public-law request on Amelia Ashworth's open case (DEVON-1)."""
    sw = people["devon.sw"]
    request = log_and_triage(people["devon.scimt"], open_case("devon"), agency_type="cafcass",
                             request_type="cafcass_public_law", consent="not_applicable",
                             consent_evidence="", lawful_basis="Children Act 1989 s.42",
                             childrens_guardian_appointed=True)
    decisions.record_decision(request, sw, reasons="The Children's Guardian may see the file.")
    disclosure.disclose(fresh(request), sw, what_was_provided="The case file, redacted.",
                        method="secure_email", provided_to="emma.rowe@cafcass.gov.uk.cjsm.net")
    closing.close(fresh(request), sw)

    assert not_done(client, sw, fresh(request)) == []


def test_devon_dbs_walk_shows_every_step_done(client, people):
    """DEVON-5: Safer Recruitment logs and allocates, the team collates, IG checks, Safer
    Recruitment sends the response."""
    saferrec, sw, ig = people["devon.saferrec"], people["devon.sw"], people["devon.ig"]
    request = log_and_triage(saferrec, closed_electronic("devon"), agency_type="dbs",
                             request_type="dbs")
    decisions.allocate(request, saferrec, worker=sw)
    decisions.record_decision(fresh(request), sw, reasons="Relevant to barring.")
    disclosure.submit_for_check(fresh(request), sw, check="ig_check")
    disclosure.complete_check(fresh(request), ig, notes="Removed the neighbour's name.")
    disclosure.disclose(fresh(request), saferrec, what_was_provided="The checked response.",
                        method="secure_email", provided_to="dbs@dbs.gov.uk",
                        address_confirmed=True)
    closing.close(fresh(request), saferrec)

    assert not_done(client, saferrec, fresh(request)) == []


def test_brighton_hove_walk_shows_every_step_done(client, people):
    """README: Mia Jarvis is 16; she is told in her own right on the disclosure form (BH-6)."""
    sw = people["bh.sw"]
    mia = case("brighton_hove", allocated_worker=sw, family_wishes__gt="")
    request = log(people["bh.scimt"], mia, agency_type="health", consent="obtained",
                  consent_evidence="Mia agreed by phone today")
    request = intake.triage(request, people["bh.scimt"])
    decisions.record_decision(fresh(request), sw, reasons="Relevant to the assessment.",
                              family_wishes_acknowledged=True)
    disclosure.disclose(fresh(request), sw, what_was_provided="Dates of two referrals.",
                        method="secure_email", provided_to="ruth.adler@nhs.net",
                        subject_informed=True)
    closing.close(fresh(request), sw, deletion_requested="False")

    # The walk records a disclosure; no pack is sent, so the pack's send step (BH-8) is the
    # one step this path did not take.
    assert not_done(client, sw, fresh(request)) == ["Send securely to a confirmed address."]
    closed = [n for n in notes(request, CaseNote.Kind.GENERAL) if n.text.startswith(
        "Request closed.")]
    assert closed and all("BH-10" in n.rule_ids for n in closed)


def test_parents_told_at_logging_does_not_skip_the_decision_as_the_next_step(client, people):
    """A step done early by its facts (CAMDEN-2 at logging) is passed over as done, but the
    next step is still the first one nobody has taken: the decision."""
    sw = people["camden.sw"]
    request = log_and_triage(people["camden.scimt"], open_case("camden"), agency_type="health",
                             necessity_note="Only the plan dates.", parents_informed="informed")
    client.force_login(sw)

    shown = client.get(reverse("request_detail", args=[request.reference])).content.decode()

    assert re.search(r"Next:\s*Decide what is necessary and proportionate", html.unescape(shown))
