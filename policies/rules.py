"""The rule registry: every catalogue rule declared once, with where it is enforced.

``CATALOGUE`` below holds each rule's ID, source section and summary (from
``shared/policy-rules.md``, corrected against the source documents where they disagree). The
code that enforces a rule says so with ``@enforces("NOTTS-1.2", ...)``, so ``enforced_by`` is
collected from the code itself, never kept as a second list. A rule no code can enforce is
declared with ``guidance=<reason>``.

``rules()`` imports every council module (so all decorators have run) and returns the
registry; ``manage.py policy_rules`` prints it, and ``manage.py policy_rules --write`` writes
``markdown()`` to ``docs/policy-rules.md`` (a test fails when that file is out of date).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    source: str
    summary: str
    enforced_by: tuple[str, ...] = ()
    guidance: str = ""  # non-empty: guidance-only, and why

    @property
    def council(self) -> str:
        return self.id.split("-", 1)[0]


# (id, source, summary[, guidance-only reason])
CATALOGUE: tuple[tuple[str, ...], ...] = (
    # Common to every council
    (
        "ALL-1",
        "all",
        "Record who asked, what, when, by which channel, about whom, and the "
        "lawful basis / consent evidence",
    ),
    (
        "ALL-2",
        "004 §2.2; 004 MIRRA 8",
        "Every decision to share or not carries its reason, a "
        "named person and a time; never edited afterwards (corrections are new entries)",
    ),
    (
        "ALL-3",
        "004 MIRRA 10; 002 §3; 001 §2",
        "When information leaves the council a case note "
        "on the subject's record says what went to whom, when, how, on whose approval",
    ),
    (
        "ALL-4",
        "000 §3; 001 §1",
        "A request for a person's own records is a subject access "
        "request: route to the council's SAR team",
    ),
    (
        "ALL-5",
        "001 §2.2 NB; 002 §4; 004 §2.3",
        "Third-party material needs its author's "
        "recorded consent before release; otherwise withheld or redacted",
    ),
    (
        "ALL-6",
        "001 §2.2; 004 §4.2",
        "Sensitive information leaves only by a secure method; "
        "the address is confirmed before sending",
    ),
    # Nottinghamshire
    ("NOTTS-0.1", "001 §1", "Own adoption records → Adoption Records Manager"),
    (
        "NOTTS-0.2",
        "001 §1",
        "Professional asks to view records → 'Other Agency Requests to View Records' procedure",
    ),
    (
        "NOTTS-0.3",
        "001 §1",
        "A lot of information / detailed history → recommend viewing instead and record the advice",
    ),
    (
        "NOTTS-0.4",
        "001 §1",
        "Requester works with the subject (or someone significantly "
        "related), asks for specific information, with the subject's consent",
    ),
    (
        "NOTTS-0.5",
        "001 §1",
        "Requests reaching MASH or a locality go to SCIMT, the first point "
        "of contact, unless the requester knows the case is open and goes to the worker",
    ),
    ("NOTTS-0.6", "001 §1", "SCIMT verifies identity and shares only basic facts"),
    (
        "NOTTS-0.7",
        "001 §1 Note",
        "Asking for files to be printed or photocopied and sent is refused at triage",
    ),
    ("NOTTS-1", "001 §2.1", "SCIMT adds a case note before forwarding"),
    ("NOTTS-1.1", "001 §2.1.1", "Open case → current SW; requester given the SW's details"),
    (
        "NOTTS-1.2",
        "001 §2.1.2",
        "Closed, Framework only → CSM of the last team; defunct team "
        "→ DCPT CSM of the locality; MASH enquiry only → MASH CSM",
    ),
    (
        "NOTTS-1.2.1",
        "001 §2.1.2.1",
        "CSM records the decision in a case note; refusal: CSM "
        "tells the requester; agreement: TM of the last SW team allocates a worker",
    ),
    (
        "NOTTS-1.2.2",
        "001 §2.1.2.2",
        "The SW verifies identity again, provides the information, "
        "files a copy in Documents and adds a case note",
    ),
    (
        "NOTTS-1.3",
        "001 §2.1.3",
        "Closed with paper/microfilm: CSM routing as NOTTS-1.2; TM of "
        "last SW team or DCPT allocates; SW gets microfilm, BS retrieves and returns paper files",
    ),
    (
        "NOTTS-2",
        "001 §1 Note; §2.2",
        "Hard copies after sharing: only the CSM who approved the "
        "sharing approves; BS sends by secure email or Cryptshare and case-notes items + approval",
    ),
    ("NOTTS-2.1", "001 §2.2", "Police hard-copy requests: advise Legal Services under Annex C"),
    (
        "NOTTS-3",
        "001 §2.3",
        "Ofsted about an individual: open and allocated → SW's details; "
        "closed → inform Ofsted and ask them to contact MASH",
    ),
    ("NOTTS-4", "001 §2.4", "Ofsted school incident → Group Manager, Support to Schools"),
    (
        "NOTTS-5",
        "003 §3–4",
        "Sharing without consent only with a recorded public-interest "
        "justification; proportionate; Caldicott Guardian for complex cases",
    ),
    (
        "NOTTS-6",
        "003 §5",
        "Child sex offence history asked by the public → police's Child Sex "
        "Offender Disclosure Scheme",
    ),
    # Devon
    (
        "DEVON-0",
        "000 §2",
        "Practitioner with their manager decides; IG advises but never "
        "approves; BS enables but never decides",
    ),
    (
        "DEVON-1",
        "000 §3 CAFCASS",
        "Cafcass public law Children's Guardian may view and receive "
        "copies; practitioner refers to BS; identity evidence recorded",
    ),
    (
        "DEVON-2",
        "000 §3 CAFCASS",
        "Cafcass private law initial safeguarding information must be provided on request",
    ),
    (
        "DEVON-2.1",
        "000 §3 CAFCASS",
        "Section 7: closed files only with permission of everyone "
        "with PR and the child (if of sufficient understanding), or a court order",
    ),
    ("DEVON-2.2", "000 §3 CAFCASS", "Rule 16.4 Children's Guardian: as DEVON-1"),
    (
        "DEVON-3",
        "000 §3 Children…",
        "Meeting minutes signed by the Chair go to those who "
        "attended or were invited; the Chair decides for others",
    ),
    (
        "DEVON-3.1",
        "000 §3 Children…",
        "Child in Care review record for absent parents: SW and "
        "IRO decide; remove identifying details such as the placement address",
    ),
    (
        "DEVON-3.2",
        "000 §3 Children…",
        "Child/parent asking for anything else → subject access via the Access to Information team",
    ),
    (
        "DEVON-4",
        "000 §3 Legal Services",
        "Devon Legal Services in public law proceedings: entitled to any relevant document",
    ),
    (
        "DEVON-5",
        "000 §3 DBS",
        "DBS: Safer Recruitment logs and allocates → SW team collates → "
        "IG checks and redacts → Safer Recruitment sends and tracks",
    ),
    (
        "DEVON-6",
        "000 §3 Other professionals",
        "Police about a criminal investigation → IG team "
        "first; nobody shares with police outside the IG process",
    ),
    (
        "DEVON-7",
        "000 §3 Other professionals",
        "Professionals' meeting minutes signed by the "
        "Chair go to those who attended or were invited; BS sends on the Chair's instruction",
    ),
    # Camden
    ("CAMDEN-1", "002 §2", "Lawful basis recorded for any sharing"),
    (
        "CAMDEN-2",
        "002 §3",
        "Parents told before sharing unless an exception (harm, criminal "
        "investigation, not practicable, court order) is recorded",
    ),
    (
        "CAMDEN-3",
        "002 §3",
        "Only what is necessary and proportionate, to those who need to "
        "know; the decision records this",
    ),
    ("CAMDEN-4", "002 §3", "Sharing recorded as a case note on the child's MOSAIC record"),
    ("CAMDEN-5", "002 §3", "Only the allocated SW or their supervisor discloses"),
    ("CAMDEN-6", "002 §3", "Disclosure restrictions shown in the case summary to everyone"),
    (
        "CAMDEN-7",
        "002 §3",
        "Family informed after sensitive information is shared (or the exception recorded)",
    ),
    (
        "CAMDEN-8",
        "002 §3",
        "Information received from a third party: provider, content and "
        "restrictions on further use recorded",
    ),
    (
        "CAMDEN-9",
        "002 §4",
        "Third-party document: author's written consent; SW and manager "
        "redact; Care Order → Legal Services redact before sending",
    ),
    ("CAMDEN-10", "002 §5", "Network checks: parents informed first unless exception (a)–(c)"),
    # Brighton & Hove
    ("BH-1", "004 §2.2", "Reasons recorded for any decision to share or not"),
    (
        "BH-2",
        "004 MIRRA 10",
        "Information sent to another agency recorded on the individual's file",
    ),
    (
        "BH-3",
        "004 §2.2",
        "Sharing without the family's agreement only on a recorded, strong public interest",
    ),
    (
        "BH-4",
        "004 §2.1",
        "Family's wish that something not be shared is shown and acknowledged before disclosure",
    ),
    (
        "BH-5",
        "004 §2.3",
        "Informant's consent needed; child protection: share but protect the informant's anonymity",
    ),
    ("BH-6", "004 §2.1", "Subject aged 16 or over is informed in their own right"),
    (
        "BH-7",
        "004 §3",
        "Subject access: 40 days from the written request (council policy); the "
        "statutory one month is shown too",
    ),
    (
        "BH-8",
        "004 §4.2",
        "Secure email (encryption/Egress); address confirmed; post only to a "
        "checked address and second-checked by another person",
    ),
    (
        "BH-9",
        "004 §4.2 Confidentiality",
        "Adopters' identifying details and placement addresses are redacted",
    ),
    (
        "BH-10",
        "004 MIRRA 9",
        "A child's deletion request that cannot be met is acknowledged on the record",
    ),
    (
        "BH-11",
        "004 MIRRA 7–8",
        "Amendments and other perspectives are new entries; nothing is overwritten",
    ),
)

_ENFORCERS: dict[str, list[str]] = {}


def enforces(*rule_ids: str) -> Callable[[F], F]:
    """Mark a function or class as enforcing these rules. Returns the object unchanged."""
    known = {row[0] for row in CATALOGUE}
    unknown = [r for r in rule_ids if r not in known]
    if unknown:
        raise ValueError(f"Unknown rule IDs: {unknown}")

    def mark(obj: F) -> F:
        where = f"{obj.__module__}:{obj.__qualname__}"
        for rule_id in rule_ids:
            places = _ENFORCERS.setdefault(rule_id, [])
            if where not in places:
                places.append(where)
        return obj

    return mark


def rules() -> dict[str, Rule]:
    """Every catalogue rule, in catalogue order, with the code that enforces it."""
    from policies import registry  # noqa: F401  (imports every council module)

    out: dict[str, Rule] = {}
    for row in CATALOGUE:
        rule_id, source, summary = row[:3]
        guidance = row[3] if len(row) > 3 else ""
        out[rule_id] = Rule(rule_id, source, summary, tuple(_ENFORCERS.get(rule_id, ())), guidance)
    return out


COUNCILS = (("ALL", "Common to every council"), ("NOTTS", "Nottinghamshire"), ("DEVON", "Devon"),
            ("CAMDEN", "Camden"), ("BH", "Brighton & Hove"))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The rule catalogue as Markdown: each rule's ID, source, summary and where it is
    enforced, generated from the registry (``docs/policy-rules.md``)."""
    registry = rules()
    lines = [
        "# Policy rule catalogue",
        "",
        "Generated from the rule registry (`policies/rules.py`) by "
        "`uv run python manage.py policy_rules --write`. Do not edit by hand: change the "
        "registry or the `@enforces` marks in the code and run the command again "
        "(`tests/policies/test_rule_catalogue.py` fails while this file is out of date).",
        "",
        "Sources are the councils' guidance documents, by number and section: 000 Devon "
        "(Information Governance – Access to Records Guidance for Practitioners), 001 "
        "Nottinghamshire (Other agency requests for information from children's social care "
        "records), 002 Camden (Information sharing: practice guidance), 003 Nottinghamshire "
        "Safeguarding Children Board (interagency procedures), 004 Brighton & Hove (Recording "
        "Policy for Children's Social Work).",
        "",
    ]
    enforced = sum(1 for r in registry.values() if r.enforced_by)
    guidance = sum(1 for r in registry.values() if r.guidance and not r.enforced_by)
    lines += [f"{len(registry)} rules: {enforced} enforced in code, {guidance} guidance-only.", ""]
    for prefix, title in COUNCILS:
        group = [r for r in registry.values() if r.council == prefix]
        if not group:
            continue
        lines += [f"## {title}", "", "| ID | Source | Rule | Enforced by |", "|---|---|---|---|"]
        for rule in group:
            if rule.enforced_by:
                # Sorted: the registry's order depends on which module was imported first.
                where = "<br>".join(f"`{w}`" for w in sorted(rule.enforced_by))
            elif rule.guidance:
                where = f"Guidance only: {_cell(rule.guidance)}"
            else:
                where = "**Not enforced**"
            lines.append(f"| {rule.id} | {_cell(rule.source)} | {_cell(rule.summary)} | "
                         f"{where} |")
        lines.append("")
    others = [r for r in registry.values() if r.council not in {c for c, _ in COUNCILS}]
    if others:
        lines += ["## Other", "", "| ID | Source | Rule | Enforced by |", "|---|---|---|---|"]
        lines += [f"| {r.id} | {_cell(r.source)} | {_cell(r.summary)} | "
                  f"{'<br>'.join(f'`{w}`' for w in sorted(r.enforced_by)) or _cell(r.guidance)} |"
                  for r in others]
        lines.append("")
    return "\n".join(lines)
