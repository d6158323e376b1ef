"""Form fields for the facts a council's gates read (`policies.catalogue.Fact`).

The policy's offer names the facts a step's form collects; this module only says how each is
asked, in GOV.UK words. Nothing here decides which council asks what.
"""

from __future__ import annotations

from django import forms

from policies.catalogue import Fact
from policies.offers import confirmable
from requests_app.forms.base import yes_no
from requests_app.models import ParentsInformed
from requests_app.models.documents import SEND_METHOD_LABELS

CHILD_PERMISSION = [
    ("given", "The child has given permission"),
    ("not_given", "The child has not given permission"),
    ("not_of_understanding", "The child is not of sufficient age and understanding"),
]
MEETINGS = [("cin", "Child in Need meeting"), ("cp_conference", "Child protection conference"),
            ("ppm", "Pre-proceedings meeting"), ("cic_review", "Child in Care review")]


def _text(label: str, error: str, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, error_messages={"required": error},
                           widget=forms.Textarea(attrs={"rows": rows}))


def fact_fields(fact: str, snapshot, rules: str) -> dict[str, forms.Field]:
    """The fields that ask one fact. ``rules``: the rule IDs shown as the hint."""
    if fact == Fact.NECESSITY:
        return {"necessity_note": _text(
            "Why is sharing this necessary and proportionate, and why does the recipient need "
            "to know?", "Enter why sharing this is necessary and proportionate", rules)}
    if fact == Fact.PUBLIC_INTEREST:
        return {"public_interest_justification": _text(
            "There is no consent: why does the public interest justify sharing?",
            "Enter why the public interest justifies sharing without consent",
            f"{rules}. For example a risk of significant harm, or preventing or detecting "
            "serious crime.")}
    if fact == Fact.FAMILY_WISHES:
        wishes = "; ".join(w for c in snapshot.subjects for w in c.family_wishes)
        return {"family_wishes_acknowledged": forms.BooleanField(
            label="I have read and considered the family's recorded wishes",
            help_text=f"{rules}. {wishes}" if wishes else rules,
            error_messages={"required": "Confirm you have read the family's wishes"})}
    if fact == Fact.PR_PERMISSIONS:
        names = [n for c in snapshot.subjects for n in c.parental_responsibility]
        fields: dict[str, forms.Field] = {}
        if names:
            fields["pr_permissions"] = forms.MultipleChoiceField(
                label="Who with parental responsibility has given permission?",
                choices=[(n, n) for n in names], required=False,
                widget=forms.CheckboxSelectMultiple, help_text=rules)
        fields["child_permission"] = forms.ChoiceField(
            label="The child's permission", choices=CHILD_PERMISSION, required=False,
            widget=forms.RadioSelect, help_text=rules)
        fields["court_order"] = forms.BooleanField(
            label="A court has ordered disclosure instead", required=False)
        return fields
    if fact == Fact.MEETING:
        return {
            "meeting_kind": forms.ChoiceField(label="Which meeting?", choices=MEETINGS,
                                              widget=forms.RadioSelect, help_text=rules,
                                              error_messages={"required": "Select the meeting"}),
            "requester_attended_or_invited": yes_no(
                "Did the requester attend, or were they invited?",
                "Select whether the requester attended or was invited"),
            "minutes_signed_by_chair": forms.BooleanField(
                label="The minutes are signed by the Chair", required=False),
            "chair_agreed": forms.BooleanField(
                label="The Chair agreed to release them (for a Child in Care review: the "
                      "social worker with the IRO)", required=False),
        }
    if fact == Fact.PARENTS_TOLD:
        return {"parents_informed": forms.ChoiceField(
            label="Have the parents been told what will be shared, why and with whom, or does "
                  "an exception apply?",
            choices=[c for c in ParentsInformed.choices if c[0]], widget=forms.RadioSelect,
            help_text=rules,
            error_messages={"required": "Select whether the parents have been told"})}
    if fact == Fact.IDENTITY_REVERIFIED:
        return {"identity_reverified": forms.BooleanField(
            label="I have verified the requester's identity again", help_text=rules,
            error_messages={"required": "Confirm you have verified the requester's identity"})}
    if fact == Fact.SUBJECT_INFORMED:
        return {"subject_informed": forms.BooleanField(
            label="The young person (16 or over) has been told in their own right how their "
                  "information is being used", help_text=rules,
            error_messages={"required": "Confirm the young person has been told"})}
    if fact == Fact.THIRD_PARTY_REDACTED:
        docs = [d for d in snapshot.documents if confirmable(d)]
        return {"redaction_confirmed": forms.MultipleChoiceField(
            label="For which documents have you checked that every passage the author has not "
                  "consented to is redacted?",
            choices=[(d.id, f"{d.title} – {d.author or 'author not recorded'}") for d in docs],
            required=False, widget=forms.CheckboxSelectMultiple,
            help_text=f"{rules}. A single redaction is not enough: check the whole document.")}
    if fact == Fact.FAMILY_TOLD_AFTER:
        return {"family_informed_after": forms.ChoiceField(
            label="Has the family been told what was shared?",
            choices=[c for c in ParentsInformed.choices if c[0]], widget=forms.RadioSelect,
            help_text=rules,
            error_messages={"required": "Select whether the family has been told"})}
    if fact == Fact.DELETION:
        return {
            "deletion_requested": yes_no(
                "Has the child asked for part of their record to be deleted?",
                "Select whether the child asked for part of their record to be deleted", rules),
            "deletion_response": forms.CharField(
                label="If so, what were they told?", required=False,
                widget=forms.Textarea(attrs={"rows": 2})),
        }
    return {}


def add_fact_fields(form: forms.Form, offer, snapshot) -> None:
    """Add the fields of every fact the offer's form collects, and narrow choices the policy
    gives (send methods, checks) to this council's."""
    rules = ", ".join(offer.fact_rule_ids or offer.note_rule_ids)
    for fact in offer.facts:
        for name, field in fact_fields(fact, snapshot, rules).items():
            form.fields.setdefault(name, field)
    labels = dict(SEND_METHOD_LABELS)
    if offer.methods and "method" in form.fields:
        form.fields["method"].choices = [(m, labels.get(m, m)) for m in offer.methods]
    if offer.checks and "check" in form.fields:
        form.fields["check"].choices = [
            (c.step, f"{c.label} ({', '.join(c.rule_ids)})") for c in offer.checks]
