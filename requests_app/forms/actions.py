"""One small form per workflow action (GOV.UK wording)."""

from django import forms

from policies.base import Action
from requests_app.forms.base import GdsForm
from requests_app.models import HardCopyRequest, ParentsInformed, RecordsRetrieval, User

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
    subject_informed = forms.BooleanField(
        label="The young person (16 or over) has been told in their own right how their "
              "information is being used", required=False, help_text="BH-6",
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
    # Nothing else records it, and BH-4 gates the decision on it when the family has wishes.
    family_wishes_acknowledged = forms.BooleanField(
        label="I have read and considered the family's recorded wishes", required=False,
        help_text="BH-4: any wishes are shown at the top of the request.",
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
        self.fields["worker"].queryset = User.objects.filter(
            council=request_obj.council, memberships__role="social_worker", is_active=True
        ).distinct()


class RetrievalForm(GdsForm):
    medium = forms.ChoiceField(
        label="What needs retrieving?", choices=RecordsRetrieval.Medium.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select paper files or microfilm"},
    )


class CheckForm(GdsForm):
    check = forms.ChoiceField(
        label="Which check?", widget=forms.RadioSelect,
        choices=[(Action.IG_CHECK, "Information governance check (DEVON-5)"),
                 (Action.LEGAL_REDACTION, "Legal Services redaction – Care Order (CAMDEN-9)"),
                 (Action.SECOND_CHECK, "Second check before posting (BH-8)")],
        error_messages={"required": "Select the check needed"},
    )


class CheckDoneForm(GdsForm):
    notes = forms.CharField(label="What was checked or redacted", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class DiscloseForm(GdsForm):
    identity_reverified = forms.BooleanField(
        label="I have verified the requester's identity again", required=False,
        help_text="NOTTS-1.2.2",
    )
    what_was_provided = forms.CharField(
        label="What information did you provide?", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what information you provided"},
    )
    method = forms.ChoiceField(
        label="How was it provided?", widget=forms.RadioSelect,
        choices=[("secure email", "Secure email"), ("Cryptshare", "Cryptshare"),
                 ("Egress", "Egress"), ("telephone", "Telephone (verbal)"),
                 ("hand delivery", "By hand")],
        error_messages={"required": "Select how the information was provided"},
    )
    provided_to = forms.CharField(
        label="Sent to (address or number)",
        error_messages={"required": "Enter where the information was sent"},
    )
    subject_informed = forms.BooleanField(
        label="The young person (16 or over) has been told in their own right how their "
              "information is being used", required=False, help_text="BH-6",
    )
    copy = forms.FileField(
        label="A copy of what was provided (optional)", required=False,
        help_text="A PDF, PNG or JPEG up to 20 MB, filed in Documents (NOTTS-1.2.2). If you "
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
    method = forms.ChoiceField(
        label="How are they being sent?", widget=forms.RadioSelect,
        choices=HardCopyRequest.Method.choices,
        error_messages={"required": "Select how the copies are sent"},
    )
    sent_to = forms.CharField(label="Address they are sent to",
                              error_messages={"required": "Enter the address"})
    address_confirmed = forms.BooleanField(
        label="I have confirmed this address with the requester", required=False,
        help_text="ALL-6, BH-8",
    )


class ReasonForm(GdsForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason"})


class ExtendForm(GdsForm):
    days = forms.IntegerField(label="Extend by how many days?", min_value=1, max_value=60,
                              error_messages={"required": "Enter the number of days",
                                              "invalid": "Enter a whole number of days"})
    reason = forms.CharField(label="Reason for the extension",
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason for the extension"})


class CloseForm(GdsForm):
    family_informed_after = forms.ChoiceField(
        label="Has the family been told what was shared?", choices=ParentsInformed.choices,
        required=False, widget=forms.RadioSelect,
        help_text="CAMDEN-7: tell the family once information has been shared, or record why not.",
    )
    note = forms.CharField(label="Closing note (optional)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(GdsForm):
    text = forms.CharField(label="Case note", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter the case note"})
