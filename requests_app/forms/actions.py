"""One small form per workflow action (GOV.UK wording)."""

from django import forms

from requests_app.forms.base import GdsForm
from requests_app.models import RecordsRetrieval, Team, User

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FILE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


class ConfirmForm(GdsForm):
    """Actions with nothing to fill in."""


class InstructionsForm(GdsForm):
    instructions = forms.CharField(
        label="Instructions for business support (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example which documents were approved and anything to redact.",
    )


class DecisionForm(GdsForm):
    reasons = forms.CharField(
        label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reasons for the decision"},
        help_text="Recorded with your name and the time; it cannot be edited afterwards (ALL-2).",
    )
    conditions = forms.CharField(
        label="Conditions (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefusalForm(GdsForm):
    reasons = forms.CharField(
        label="Reasons for refusing", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reasons for refusing"},
        help_text="Recorded with your name and the time; it cannot be edited afterwards (ALL-2).",
    )
    requester_informed = forms.BooleanField(
        label="I have told the requester about this decision",
        error_messages={"required": "Confirm that you have told the requester"},
    )


class AllocateForm(GdsForm):
    worker = forms.ModelChoiceField(
        label="Social worker", queryset=User.objects.none(), empty_label="Select a worker",
        error_messages={"required": "Select the social worker to allocate"},
    )

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        workers = User.objects.filter(
            council=request_obj.council, memberships__role="social_worker", is_active=True
        )
        if request_obj.allocated_worker_id:
            workers = workers.exclude(pk=request_obj.allocated_worker_id)
        # The routed team's own workers where it has any others; otherwise the council's.
        team = request_obj.routed_team
        if team is not None and workers.filter(memberships__team=team).exists():
            workers = workers.filter(memberships__team=team)
        self.fields["worker"].queryset = workers.distinct().order_by("last_name", "first_name")


class ReallocateForm(AllocateForm):
    reason = forms.CharField(label="Why is it being reallocated?",
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why it is being reallocated"})


class RetrievalForm(GdsForm):
    medium = forms.ChoiceField(
        label="What needs retrieving?", choices=RecordsRetrieval.Medium.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select paper files or microfilm"},
    )


class CheckForm(GdsForm):
    # The choices are the council's checks for this request (the policy's offer).
    check = forms.ChoiceField(
        label="Which check?", widget=forms.RadioSelect, choices=[],
        error_messages={"required": "Select the check needed"},
    )


class CheckDoneForm(GdsForm):
    notes = forms.CharField(label="What was checked or redacted", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class DiscloseForm(GdsForm):
    what_was_provided = forms.CharField(
        label="What information did you provide?", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what information you provided"},
    )
    # The choices are the methods the council allows for this step (the policy's offer).
    method = forms.ChoiceField(
        label="How was it provided?", widget=forms.RadioSelect, choices=[],
        error_messages={"required": "Select how the information was provided"},
    )
    provided_to = forms.CharField(
        label="Sent to (address or number)",
        error_messages={"required": "Enter where the information was sent"},
    )
    # What the council's send checks ask of anything leaving the council (the SEND gates):
    # recorded as the worker's own answer, never assumed.
    address_confirmed = forms.BooleanField(
        label="I confirmed this address or number with the requester before sending",
        help_text="ALL-6", error_messages={"required": "Confirm the address or number"},
    )
    copy = forms.FileField(
        label="A copy of what was provided (optional)", required=False,
        help_text="A PDF, PNG or JPEG up to 20 MB, filed in Documents. If you "
                  "leave this empty, the text above is filed.",
    )

    def clean_copy(self):
        """Check the file by its content, not its name: PDF, PNG or JPEG only."""
        upload = self.cleaned_data.get("copy")
        if upload is None:
            return None
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 20 MB")
        head = upload.read(8)
        upload.seek(0)
        for magic, content_type in FILE_SIGNATURES:
            if head.startswith(magic):
                upload.content_type = content_type
                return upload
        raise forms.ValidationError("The selected file must be a PDF, PNG or JPEG")


class HardCopiesForm(GdsForm):
    items = forms.CharField(
        label="Documents asked for, one per line", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "List the documents asked for"},
    )


class ApproveHardCopiesForm(GdsForm):
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Enter the reasons for the decision"})


class SendForm(GdsForm):
    # The choices are the methods the council allows for this step (the policy's offer).
    method = forms.ChoiceField(
        label="How are they being sent?", widget=forms.RadioSelect, choices=[],
        error_messages={"required": "Select how the copies are sent"},
    )
    sent_to = forms.CharField(label="Address they are sent to", max_length=255,
                              error_messages={"required": "Enter the address"})
    address_confirmed = forms.BooleanField(
        label="I have confirmed this address with the requester",
        help_text="ALL-6", error_messages={"required": "Confirm the address"},
    )


class ReasonForm(GdsForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason"})


class ExtendForm(GdsForm):
    days = forms.IntegerField(label="Extend by how many working days?", min_value=1,
                              max_value=60,
                              error_messages={"required": "Enter the number of days",
                                              "invalid": "Enter a whole number of days"})
    reason = forms.CharField(label="Reason for the extension",
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason for the extension"})

    def __init__(self, *args, request_obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request_obj is not None:
            # The days are counted like the deadline they extend: working days, or calendar
            # days for a deadline in calendar days or months (subject access).
            from policies.deadlines import extension_unit
            from requests_app import access
            from requests_app.policy_adapter import policy_for

            deadline = policy_for(request_obj).deadline(access.snapshot_for(request_obj))
            unit = extension_unit(deadline.unit)
            self.fields["days"].label = f"Extend by how many {unit}?"
            self.fields["days"].error_messages["invalid"] = f"Enter a whole number of {unit}"


class CloseForm(GdsForm):
    note = forms.CharField(label="Closing note (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AcceptReferralForm(GdsForm):
    note = forms.CharField(label="Note (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example the reference of your own case.")


class OverrideRouteForm(GdsForm):
    team = forms.ModelChoiceField(
        label="Which team should have it?", queryset=Team.objects.none(),
        empty_label="Select a team", error_messages={"required": "Select a team"})
    person = forms.ModelChoiceField(
        label="Person (optional)", queryset=User.objects.none(), required=False,
        empty_label="The team", help_text="Leave empty to send it to the whole team.")
    reason = forms.CharField(label="Why are you changing the route?",
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter why you are changing the route"})

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(
            council=request_obj.council, exists=True).order_by("name")
        self.fields["person"].queryset = User.objects.filter(
            council=request_obj.council, is_active=True).order_by("last_name", "first_name")

    def clean(self):
        data = super().clean()
        team, person = data.get("team"), data.get("person")
        if team and person and not person.memberships.filter(team=team).exists():
            self.add_error("person", "Select someone in that team, or leave it empty")
        return data


class NoteForm(GdsForm):
    text = forms.CharField(label="Case note", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter the case note"})
