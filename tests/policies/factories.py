"""Small explicit factories for policy snapshots: happy-path defaults, override what matters."""

from __future__ import annotations

from datetime import UTC, date, datetime

from policies.base import (
    ActorSnapshot,
    CaseSnapshot,
    Consent,
    PersonRef,
    RequesterSnapshot,
    RequestSnapshot,
    SharingDecision,
    TeamDirectory,
    TeamRef,
)

SCIMT_OFFICER = PersonRef(1, "Sam Okafor", "sam.okafor@nottscc.gov.uk")
WORKER = PersonRef(10, "Priya Shah", "priya.shah@council.gov.uk", "01623 000010")
TM = PersonRef(20, "Tom Reid", "tom.reid@council.gov.uk")
CSM_LAST = PersonRef(30, "Carol Hughes")
CSM_DCPT = PersonRef(31, "Dev Patel")
CSM_MASH = PersonRef(32, "Mona Ali")
CSM_OTHER = PersonRef(33, "Olu Ade")
GM_SCHOOLS = PersonRef(40, "Grace Moss")


def make_team(id: int | str = 100, name: str = "Mansfield Children's Team", **overrides) -> TeamRef:
    values = dict(kind="social_work", locality="Mansfield", exists=True, csm=CSM_LAST, manager=TM)
    values.update(overrides)
    return TeamRef(id, name, **values)


LAST_TEAM = make_team(100, "Mansfield Children's Team")
DEFUNCT_TEAM = make_team(101, "Ashfield Child Protection Team", exists=False, csm=None)
DCPT = make_team(102, "Mansfield DCPT", kind="dcpt", csm=CSM_DCPT, manager=PersonRef(21, "Dee"))
MASH = make_team(103, "MASH", kind="mash", locality="", csm=CSM_MASH)
SCIMT = make_team(104, "SCIMT", kind="scimt", locality="", csm=None, manager=SCIMT_OFFICER)
SCHOOLS = make_team(
    105, "Support to Schools", kind="support_to_schools", locality="", manager=GM_SCHOOLS
)
IG = make_team(
    106,
    "Information Governance",
    kind="information_governance",
    locality="",
    manager=PersonRef(50, "Ivy Grant"),
)
SAFER = make_team(
    107,
    "Safer Recruitment",
    kind="safer_recruitment",
    locality="",
    manager=PersonRef(51, "Sid Rowe"),
)
LEGAL = make_team(108, "Legal Services", kind="legal_services", locality="")
SAR = make_team(109, "Access to Records", kind="sar", locality="", manager=PersonRef(52, "Ann"))
ADOPTION = make_team(
    110,
    "Adoption Records",
    kind="adoption_records",
    locality="",
    manager=PersonRef(53, "Ada Records"),
)

DIRECTORY = TeamDirectory(
    (LAST_TEAM, DEFUNCT_TEAM, DCPT, MASH, SCIMT, SCHOOLS, IG, SAFER, LEGAL, SAR, ADOPTION)
)

RECEIVED = datetime(2025, 4, 14, 10, 0, tzinfo=UTC)  # Monday before Easter 2025


def make_case(**overrides) -> CaseSnapshot:
    """An open, allocated case in Mansfield."""
    values = dict(
        reference="C-1",
        name="Jamie Brown",
        date_of_birth=date(2015, 6, 1),
        is_open=True,
        allocated_worker=WORKER,
        allocated_team=LAST_TEAM,
        last_team=LAST_TEAM,
        locality="Mansfield",
    )
    values.update(overrides)
    return CaseSnapshot(**values)


def make_closed_case(**overrides) -> CaseSnapshot:
    values = dict(
        is_open=False, closed_on=date(2023, 3, 1), allocated_worker=None, allocated_team=None
    )
    values.update(overrides)
    return make_case(**values)


def make_requester(**overrides) -> RequesterSnapshot:
    values = dict(
        name="DC Alex Moor",
        organisation="Nottinghamshire Police",
        agency_type="health",
        email="alex.moor@nhs.net",
        secure_email=True,
        identity_evidence="called back on switchboard",
    )
    values.update(overrides)
    return RequesterSnapshot(**values)


def make_request(**overrides) -> RequestSnapshot:
    """A complete, well-recorded Nottinghamshire information request about an open case."""
    values = dict(
        council="nottinghamshire",
        reference="R-1",
        request_type="information",
        channel="secure_email",
        received_at=RECEIVED,
        requester=make_requester(),
        subjects=(make_case(),),
        what_is_asked="Dates of child protection plans",
        directory=DIRECTORY,
        working_with_subject=True,
        specific_information=True,
        consent=Consent.OBTAINED,
        consent_evidence="Signed consent form dated 10 April 2025",
        lawful_basis="Children Act 1989 s.47",
        identity_verified_at_triage=True,
    )
    values.update(overrides)
    return RequestSnapshot(**values)


def make_actor(id: int | str = 10, *roles: str, **overrides) -> ActorSnapshot:
    values = dict(name=f"Person {id}", roles=frozenset(roles or ("social_worker",)))
    values.update(overrides)
    return ActorSnapshot(id, **values)


def decision(
    by: int | str = 10, shared: bool = True, reason: str = "Needed to safeguard"
) -> SharingDecision:
    return SharingDecision(by, shared, reason, datetime(2025, 4, 15, 9, 0, tzinfo=UTC))
