"""Correcting a request's recorded facts (ALL-2, BH-11): the form shows the current values;
the service records each change as a new entry with the reason."""

from django import forms

from requests_app.forms.base import GdsDateField, GdsForm
from requests_app.models import AgencyType, CaseRecord, Channel, Consent, RequestType, Team
from requests_app.services.corrections import LABELS


def subject_label(c: CaseRecord) -> str:
    return (f"{c.name}, born {c.date_of_birth:%d %B %Y} – {c.reference} "
            f"({'open' if c.is_open else 'closed'})")


class CorrectionForm(GdsForm):
    requester_name = forms.CharField(
        label=LABELS["requester_name"], max_length=120,
        error_messages={"required": "Enter the requester's name"})
    requester_organisation = forms.CharField(label=LABELS["requester_organisation"],
                                             max_length=160, required=False)
    requester_agency_type = forms.ChoiceField(
        label=LABELS["requester_agency_type"], choices=AgencyType.choices,
        error_messages={"required": "Select the type of agency"})
    requester_email = forms.EmailField(
        label=LABELS["requester_email"], required=False, max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like "
                                   "name@example.com"})
    requester_secure_email = forms.EmailField(
        label=LABELS["requester_secure_email"], required=False, max_length=254,
        error_messages={"invalid": "Enter a secure email address in the correct format, like "
                                   "name@example.pnn.police.uk"})
    requester_phone = forms.CharField(label=LABELS["requester_phone"], max_length=40,
                                      required=False)
    requester_identity_evidence = forms.CharField(
        label=LABELS["requester_identity_evidence"], required=False)
    subjects = forms.ModelMultipleChoiceField(
        label=LABELS["subjects"], queryset=CaseRecord.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a child to take them off the request; search below to add one.",
        error_messages={"required": "Select at least one child or young person the request is "
                                    "about"})
    request_type = forms.ChoiceField(
        label=LABELS["request_type"], choices=RequestType.choices,
        error_messages={"required": "Select the type of request"})
    information_sought = forms.CharField(
        label=LABELS["information_sought"], widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what information is asked for"})
    channel = forms.ChoiceField(
        label=LABELS["channel"], choices=Channel.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select how the request arrived"})
    received_at = GdsDateField(
        label="Date the request was received", name="the date the request was received",
        not_future=True, help_text="Deadlines run from this date. For example, 27 3 2026.")
    received_by_team = forms.ModelChoiceField(
        label=LABELS["received_by_team"], queryset=Team.objects.none(), required=False,
        empty_label="The first point of contact",
        help_text="If it arrived at another team first, for example MASH or a locality team.")
    consent = forms.ChoiceField(
        label=LABELS["consent"], choices=Consent.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select whether there is consent"})
    consent_evidence = forms.CharField(label=LABELS["consent_evidence"], required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}),
                                       help_text="Who gave consent, when and how.")
    lawful_basis = forms.CharField(label=LABELS["lawful_basis"], required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    public_interest_justification = forms.CharField(
        label=LABELS["public_interest_justification"], required=False,
        widget=forms.Textarea(attrs={"rows": 2}))
    necessity_note = forms.CharField(label=LABELS["necessity_note"], required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="Why are you making this correction?", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is recorded with each change and on the case note. The old values stay "
                  "in the request's history.",
        error_messages={"required": "Enter the reason for the correction"})

    def __init__(self, *args, request_obj, subject_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = subject_queryset
        self.fields["subjects"].label_from_instance = subject_label
        self.fields["received_by_team"].queryset = Team.objects.filter(
            council_id=request_obj.council_id, exists=True).order_by("name")
        if not request_obj.consent:
            self.fields["consent"].required = False

    def clean(self):
        data = super().clean()
        if not (data.get("requester_email") or data.get("requester_phone")) and not (
                self.has_error("requester_email")):
            self.add_error("requester_email", "Enter an email address or phone number")
        if data.get("consent") == Consent.OBTAINED and not (
                data.get("consent_evidence") or "").strip():
            self.add_error("consent_evidence", "Enter the evidence of consent")
        return data

    def changes(self) -> dict:
        """Every correctable fact as entered; the service keeps only what really changed."""
        return {key: self.cleaned_data.get(key) for key in LABELS}
