"""The audit viewer's filters (issue 11 item 3). Names a person, child or request only
within the reader's own council: a reference from elsewhere is "not found", never a hint."""

from django import forms
from django.core.exceptions import ValidationError

from requests_app.forms.base import GdsDateField, GdsForm
from requests_app.models import CaseRecord, InformationRequest, User
from requests_app.services.audit_log import KINDS, Filters


class AuditFilterForm(GdsForm):
    person = forms.ModelChoiceField(
        label="Person", queryset=User.objects.none(), required=False, empty_label="Anyone",
        help_text="What they did, and what was done to their account.",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    child = forms.CharField(
        label="Child's record reference", required=False, max_length=40,
        help_text="Everything on the requests about this child, and reads of their register.",
    )
    reference = forms.CharField(label="Request reference", required=False, max_length=32)
    kind = forms.ChoiceField(
        label="Kind of event", required=False,
        choices=[("", "Any")] + [(key, label) for key, (label, _) in KINDS.items()],
    )
    action = forms.CharField(
        label="Exact event name (optional)", required=False, max_length=60,
        help_text="For example pack.send, request.approve or auth.sign_in_failed.",
    )
    date_from = GdsDateField(label="From", name="the start date", required=False,
                             help_text="For example, 27 3 2026")
    date_to = GdsDateField(label="To", name="the end date", required=False)

    def __init__(self, *args, council_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.council_id = council_id
        self.fields["person"].queryset = User.objects.filter(
            council_id=council_id).order_by("last_name", "first_name", "username")

    def clean_child(self):
        reference = self.cleaned_data["child"].strip()
        if not reference:
            return None
        found = CaseRecord.objects.filter(council_id=self.council_id,
                                          reference__iexact=reference).first()
        if found is None:
            raise ValidationError("There is no child with that record reference in your council")
        return found

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            return None
        found = InformationRequest.objects.filter(council_id=self.council_id,
                                                  reference__iexact=reference).first()
        if found is None:
            raise ValidationError("There is no request with that reference in your council")
        return found

    def clean_action(self):
        return self.cleaned_data["action"].strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(person=data.get("person"), child=data.get("child"),
                       request=data.get("reference"), kind=data.get("kind") or "",
                       action=data.get("action") or "", date_from=data.get("date_from"),
                       date_to=data.get("date_to"))
