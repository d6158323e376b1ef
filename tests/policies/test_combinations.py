"""Table-driven: the combinations issue 3 names, across all four councils."""

from dataclasses import replace
from datetime import date

import pytest

from policies.base import Action, DocumentSnapshot, SendDetails
from policies.registry import get_policy
from tests.policies.factories import (
    CSM_DCPT,
    DEFUNCT_TEAM,
    decision,
    make_actor,
    make_case,
    make_closed_case,
    make_request,
    make_requester,
)

POLICE = make_requester(agency_type="police", organisation="Devon and Cornwall Police")
REPORT = DocumentSnapshot(
    7, "Police report", is_third_party=True, author="DS Hill", consent_status="granted"
)

# council, request overrides, expected kind, expected role/target, first rule id
ROUTES = [
    (
        "nottinghamshire",
        dict(subjects=(make_closed_case(on_paper=True, last_team=DEFUNCT_TEAM),)),
        "route",
        "csm",
        "NOTTS-1.3",
    ),
    (
        "devon",
        dict(request_type="police_investigation", requester=POLICE, asks_for_printed_files=True),
        "route",
        "ig_officer",
        "DEVON-6",
    ),
    (
        "camden",
        dict(subjects=(make_case(care_order=True),), documents=(REPORT,)),
        "route",
        "social_worker",
        "CAMDEN-5",
    ),
    (
        "brighton_hove",
        dict(
            subjects=(
                make_case(date_of_birth=date(2008, 9, 1), family_wishes=("Mum's diagnosis",)),
            )
        ),
        "route",
        "social_worker",
        "BH-1",
    ),
    ("nottinghamshire", dict(asks_for_printed_files=True), "refusal", None, "NOTTS-0.7"),
    ("devon", dict(request_type="dbs"), "route", "safer_recruitment_officer", "DEVON-5"),
    ("camden", dict(request_type="network_check"), "route", "social_worker", "CAMDEN-10"),
    ("brighton_hove", dict(request_type="subject_access"), "referral", "sar_team", "ALL-4"),
]


@pytest.mark.parametrize(("council", "overrides", "kind", "who", "rule"), ROUTES)
def test_routing_table(council, overrides, kind, who, rule):
    """NOTTS-1.3, DEVON-6, CAMDEN-5, BH-1 and friends: every decision carries its rule IDs."""
    r = get_policy(council).route(make_request(council=council, **overrides))
    assert r.kind == kind and r.rule_ids[0] == rule and rule in r.explanation
    if who:
        assert who in (getattr(r, "role", None), getattr(r, "target", None))


def test_notts_closed_paper_case_with_defunct_team():
    """NOTTS-1.2 / NOTTS-1.3: DCPT CSM, then TM allocates, paper retrieved and returned."""
    p = get_policy("nottinghamshire")
    case = make_closed_case(on_paper=True, last_team=DEFUNCT_TEAM)
    req = make_request(subjects=(case,))
    r = p.route(req)
    assert r.person == CSM_DCPT and "Ashfield Child Protection Team" in r.explanation
    assert [s.code for s in p.steps(req)][3:6] == ["csm_decision", "allocate", "retrieve_records"]
    agreed = replace(
        req, sharing_decision=decision(CSM_DCPT.id), identity_reverified_by_worker=True
    )
    assert [u.rule_id for u in p.check(Action.DISCLOSE, agreed).unmet] == ["NOTTS-1.3"]


def test_devon_police_investigation_also_asking_for_hard_copies():
    """DEVON-6: the hard copies go through IG too; a social worker may not send them."""
    d = get_policy("devon")
    req = make_request(
        council="devon",
        request_type="police_investigation",
        requester=POLICE,
        hard_copy_request=None,
        asks_for_printed_files=True,
    )
    r = d.route(req)
    assert "hard copies goes through the same IG process" in r.explanation
    assert [s.code for s in d.steps(req)][-2] == "disclose"
    sw = d.check(
        Action.SEND,
        replace(req, sharing_decision=decision(), send=SendDetails("secure_email", True)),
        make_actor(10),
    )
    assert [u.rule_id for u in sw.unmet] == ["DEVON-6"]


def test_camden_care_order_case_with_third_party_report():
    """CAMDEN-9: author's consent and Legal Services redaction before it is sent."""
    c = get_policy("camden")
    req = make_request(
        council="camden",
        subjects=(make_case(care_order=True),),
        documents=(replace(REPORT, consent_status="requested"),),
        sharing_decision=decision(),
        parents_informed=True,
        send=SendDetails("egress", True),
    )
    result = c.check(Action.SEND, req)
    assert [u.rule_id for u in result.unmet] == ["CAMDEN-9", "CAMDEN-9"]
    assert any(s.category == "legal_review" for s in c.redactions(req))


def test_bh_sixteen_year_old_whose_family_asked_something_not_be_shared():
    """BH-4 and BH-6 are both reported, with every other unmet condition."""
    b = get_policy("brighton_hove")
    case = make_case(date_of_birth=date(2008, 9, 1), family_wishes=("Mum's diagnosis",))
    req = make_request(
        council="brighton_hove",
        subjects=(case,),
        sharing_decision=decision(),
        consent="not_obtained",
    )
    assert [u.rule_id for u in b.check(Action.DISCLOSE, req).unmet] == ["BH-3", "BH-4", "BH-6"]
    assert any(s.category == "family_wish" for s in b.redactions(req))
    ok = replace(
        req,
        family_wishes_acknowledged=True,
        subject_informed=True,
        public_interest_justification="Risk of significant harm",
    )
    assert b.check(Action.DISCLOSE, ok).ok


@pytest.mark.parametrize("council", ["devon", "nottinghamshire", "camden", "brighton_hove"])
def test_every_decision_carries_rule_ids_and_a_sentence(council):
    """ALL-2: steps, deadlines and redactions explain themselves with rule IDs."""
    p = get_policy(council)
    req = make_request(council=council)
    assert all(s.rule_ids and s.explanation for s in p.steps(req))
    d = p.deadline(req)
    assert d.rule_ids and d.explanation.startswith("Due ")
