"""Logging a request: requester, subjects, what is asked, and the triage facts (ALL-1)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from policies.catalogue import IntakeFact
from policies.common import OWN_RECORDS_AGENCIES
from requests_app.forms.base import GdsDateField, GdsForm, error_links, yes_no
from requests_app.models import (
    AgencyType,
    CaseRecord,
    Channel,
    Consent,
    ParentsInformed,
    Requester,
    RequestType,
    Team,
)


def _one(data, name: str) -> str:
    """One posted value (a QueryDict or a plain dict of initial values) as a string."""
    value = data.get(name, "") if data else ""
    return value if isinstance(value, str) else ""


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


class TriageFactsForm(GdsForm):
    request_type = forms.ChoiceField(
        label="Type of request", choices=[("", "Select a type")] + RequestType.choices,
        error_messages={"required": "Select the type of request"},
    )
    information_sought = forms.CharField(
        label="What information is asked for", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what information is asked for"},
    )
    working_with_subject = yes_no(
        "Is the requester working with the child, or with someone significantly related to them?",
        "Select whether the requester is working with the child",
    )
    specific_information = yes_no(
        "Is the request for specific information (not a detailed history)?",
        "Select whether the request is for specific information",
        "A lot of information or a detailed history means suggesting they view the records "
        "instead.",
    )
    large_volume = forms.BooleanField(
        label="They want a lot of information or a detailed history", required=False
    )
    asks_for_printed_files = forms.BooleanField(
        label="They asked for files to be printed or photocopied and sent", required=False
    )
    consent = forms.ChoiceField(
        label="Consent", choices=Consent.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select whether there is consent"},
    )
    consent_evidence = forms.CharField(
        label="Evidence of consent", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who gave consent, when and how.",
    )
    lawful_basis = forms.CharField(
        label="Lawful basis", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example Children Act 1989 s.47; Data Protection Act 2018 Sch 8.",
    )
    public_interest_justification = forms.CharField(
        label="Public interest justification (if sharing without consent)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    necessity_note = forms.CharField(
        label="Why this is necessary and proportionate", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    parents_informed = forms.ChoiceField(
        label="Have the parents been told, or does an exception apply?",
        choices=ParentsInformed.choices, required=False, widget=forms.RadioSelect,

    )
    criminal_investigation = forms.BooleanField(
        label="It concerns a criminal investigation", required=False
    )
    childrens_guardian_appointed = forms.BooleanField(
        label="A Children's Guardian has been appointed", required=False
    )
    court_order = forms.BooleanField(label="A court has ordered disclosure", required=False)
    identity_verified = forms.BooleanField(
        label="I have checked the requester's identity", required=False,
        help_text="For example by calling back through their organisation's switchboard.",
    )

    def clean(self):
        data = super().clean()
        if data.get("consent") == Consent.OBTAINED and not data.get("consent_evidence", "").strip():
            self.add_error("consent_evidence", "Enter the evidence of consent")
        return data


def _ask_only_the_councils_questions(form: forms.Form, council, request_type: str,
                                     agency_type: str) -> None:
    """Keep the questions this council's policy asks for this type of request from this kind
    of requester (with its rule IDs as the hint); drop every other question, so the form
    validates only what is asked."""
    from policies.registry import get_policy

    asks = {a.code: a for a in get_policy(council.slug).intake_facts(request_type, agency_type)}
    for code in IntakeFact:
        field = form.fields.get(code)
        if field is None:
            continue
        ask = asks.get(code)
        if ask is None:
            del form.fields[code]
        else:
            rules = ", ".join(ask.rule_ids)
            field.help_text = f"{rules}. {field.help_text}" if field.help_text else rules


# The page's order, top to bottom: the error summary lists its errors in this order too.
PAGE_ORDER = [
    "subjects", "existing_requester", "requester_agency_type", "requester_name",
    "requester_organisation", "requester_email", "requester_secure_email", "requester_phone",
    "requester_identity_evidence", "channel", "received_at", "received_by_team",
    "request_type", "information_sought", "working_with_subject", "specific_information",
    "large_volume", "asks_for_printed_files", "consent", "consent_evidence", "lawful_basis",
    "public_interest_justification", "necessity_note", "parents_informed",
    "criminal_investigation", "childrens_guardian_appointed", "court_order",
    "identity_verified",
]


class LogRequestForm(TriageFactsForm):
    """One page for logging a request. The child and the requester are found by searching
    (requests_app/intake_lookup.py): the page never lists every record or requester; what was
    chosen travels as ids, checked here against this council's rows only."""

    # Rendered by the page as hidden inputs with a "Remove" button each (log.html); a visible
    # widget type so that its error is in the error summary (which lists visible fields).
    subjects = forms.ModelMultipleChoiceField(
        label="Who is the request about?", queryset=CaseRecord.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Search for and add the child or young person the "
                                    "request is about",
                        "invalid_choice": "Search for the child again and add them",
                        "invalid_pk_value": "Search for the child again and add them"},
    )
    existing_requester = forms.ModelChoiceField(
        label="Known requester", queryset=Requester.objects.none(), required=False,
        widget=forms.TextInput,
        error_messages={"invalid_choice": "Search for the requester again and choose them"},
    )
    requester_agency_type = forms.ChoiceField(
        label="Type of requester", choices=[("", "Select a type")] + AgencyType.choices,
        required=False,
    )
    # max_length as the Requester columns have it: longer answers are a form error, not a 500.
    requester_name = forms.CharField(
        label="Requester's full name", required=False, max_length=120,
        error_messages={"max_length": "Requester's full name must be 120 characters or fewer"})
    requester_organisation = forms.CharField(
        label="Organisation", required=False, max_length=160,
        error_messages={"max_length": "Organisation must be 160 characters or fewer"})
    requester_email = forms.EmailField(
        label="Email address", required=False, max_length=254,
        error_messages={"max_length": "Email address must be 254 characters or fewer"})
    requester_secure_email = forms.EmailField(
        label="Secure email address", required=False, max_length=254,
        error_messages={"max_length": "Secure email address must be 254 characters or fewer"})
    requester_phone = forms.CharField(
        label="Phone number", required=False, max_length=40,
        error_messages={"max_length": "Phone number must be 40 characters or fewer"})
    requester_identity_evidence = forms.CharField(
        label="How their identity was established", required=False
    )
    channel = forms.ChoiceField(
        label="How did the request arrive?", choices=Channel.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how the request arrived"},
    )
    received_at = GdsDateField(
        label="Date the request was received", name="the date the request was received",
        not_future=True, required=False,
        help_text="Deadlines run from this date. For a letter or email that arrived on an "
                  "earlier day, give that day. For example, 27 3 2026.",
    )
    received_by_team = forms.ModelChoiceField(
        label="Where did the request first arrive?", queryset=Team.objects.none(),
        required=False, empty_label="It came straight to us",
        help_text="If another team received it first, for example MASH or a locality team.",
    )
    field_order = PAGE_ORDER

    def __init__(self, *args, council, requester: Requester | None = None, **kwargs):
        """``requester``: the known requester chosen on the page, whose kind decides some
        questions as the type of a new requester does."""
        super().__init__(*args, **kwargs)
        self.council = council
        given = self.data if self.is_bound else self.initial
        # The type and kind of requester the questions were asked for (the page marks them).
        self.asked_for = _one(given, "request_type")
        self.asked_of = (requester.agency_type if requester is not None
                         else _one(given, "requester_agency_type"))
        _ask_only_the_councils_questions(self, council, self.asked_for, self.asked_of)
        # Answers to questions not asked for this type travel with the page unvalidated and
        # unsaved, so changing the type back finds them again (nothing typed is lost).
        self.held = [(code, _one(given, code)) for code in IntakeFact
                     if code not in self.fields and _one(given, code)]
        self.fields["received_at"].initial = timezone.localdate()
        self.fields["received_by_team"].queryset = Team.objects.filter(
            council=council, exists=True).order_by("name")
        # Validation looks up only the ids posted, within this council.
        self.fields["existing_requester"].queryset = Requester.objects.filter(council=council)
        self.fields["subjects"].queryset = CaseRecord.objects.filter(council=council)
        self.fields["requester_organisation"].help_text = (
            "Not needed for " + _and(sorted(
                AgencyType(kind).label[0].lower() + AgencyType(kind).label[1:]
                for kind in OWN_RECORDS_AGENCIES)) + ".")

    def clean(self):
        data = super().clean()
        if not data.get("existing_requester"):
            kind = data.get("requester_agency_type")
            for field, message, needed in (
                ("requester_agency_type", "Select the type of requester", True),
                ("requester_name", "Enter the requester's full name", True),
                # ALL-1 as the policy reads it: a parent, the person themselves (or their
                # solicitor) need no organisation.
                ("requester_organisation", "Enter the requester's organisation",
                 bool(kind) and kind not in OWN_RECORDS_AGENCIES),
            ):
                if needed and not data.get(field) and field not in self.errors:
                    self.add_error(field, message)
            if not (data.get("requester_email") or data.get("requester_phone")) and (
                    "requester_email" not in self.errors):
                self.add_error("requester_email", "Enter an email address or phone number")
        return data

    def error_links(self) -> list[tuple[str, str]]:
        """(the id of the input to fix, the message) for each error, in page order; the
        child's errors, and the form's own, lead to the search box (forms.base.error_links)."""
        return error_links(self, targets={"subjects": "id_subjects"}, first="id_subjects")

    @classmethod
    def kept(cls, data, *, council, requester: Requester | None = None) -> LogRequestForm:
        """An unbound form showing what was typed in ``data``: the page shown again after a
        search, an "Add", a "Remove" or "Update questions", with no error messages (nothing
        was saved yet) and the questions of the type chosen."""
        form = cls(council=council, requester=requester, initial=data)
        form.initial = {name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
                        for name, field in form.fields.items()}
        return form

    def requester(self) -> Requester | dict:
        """The known requester, or the details of a new one for the service to save."""
        data = self.cleaned_data
        if data.get("existing_requester"):
            return data["existing_requester"]
        return dict(
            name=data["requester_name"],
            organisation=data["requester_organisation"],
            agency_type=data["requester_agency_type"], email=data["requester_email"],
            secure_email=data["requester_secure_email"], phone=data["requester_phone"],
            identity_evidence=data["requester_identity_evidence"],
        )

    def facts(self) -> dict:
        data = self.cleaned_data
        keys = [name for name in TriageFactsForm.base_fields
                if name != "identity_verified" and name in self.fields]
        facts = {key: data[key] for key in keys}
        facts["channel"] = data["channel"]
        facts["identity_verified"] = data.get("identity_verified", False)
        facts["parents_informed"] = data.get("parents_informed") or ""
        # Left empty: it arrived today (the service takes now).
        facts["received_at"] = data.get("received_at")
        facts["received_by_team"] = data.get("received_by_team")
        return facts
