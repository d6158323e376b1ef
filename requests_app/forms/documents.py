"""Adding documents and recording third-party consent (ALL-5, CAMDEN-9, BH-5)."""

from django import forms

from policies.catalogue import DocumentFact
from requests_app.forms.base import GdsForm, yes_no
from requests_app.models import Document, Pack
from requests_app.packs.limits import MAX_TEXT_PAGES
from requests_app.services.documents import MAX_UPLOAD_BYTES

CONSENT_CHOICES = [
    (Document.AuthorConsent.REQUESTED, "Consent asked for, not yet given"),
    (Document.AuthorConsent.GRANTED, "Consent given (say how below)"),
    (Document.AuthorConsent.REFUSED, "Consent refused"),
]


class AuthorshipForm(GdsForm):
    """Who wrote it and, for third-party material, where the author's consent stands."""

    is_third_party = yes_no(
        "Was this written by another agency or a professional outside children's social care?",
        "Select yes if this is third-party material",
        help_text="Third-party material is released only with its author's consent, or redacted "
                  "(ALL-5).",
    )
    author_name = forms.CharField(label="Author (optional)", required=False, max_length=120)
    author_organisation = forms.CharField(label="Author's organisation (optional)",
                                          required=False, max_length=160)
    author_consent = forms.ChoiceField(
        label="The author's consent to release it", choices=CONSENT_CHOICES, required=False,
        widget=forms.RadioSelect, help_text="Only for third-party material.",
    )
    consent_evidence = forms.CharField(
        label="How consent was given (optional unless consent was given)", required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: email from the author dated 3 March 2026, filed on the record.",
    )

    def __init__(self, *args, asks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.asks = tuple(asks)
        for ask in self.asks:
            for name, field in document_fact_fields(ask).items():
                self.fields[name] = field

    def clean(self):
        data = super().clean()
        if data.get("is_third_party"):
            if not data.get("author_name") and not data.get("author_organisation"):
                self.add_error("author_name", "Enter who wrote it, or their organisation")
            consent = data.get("author_consent")
            if not consent:
                self.add_error("author_consent", "Select where the author's consent stands")
            elif consent == Document.AuthorConsent.GRANTED and not data.get(
                "consent_evidence", ""
            ).strip():
                self.add_error("consent_evidence", "Enter how the author gave consent")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data.get(name) or "" for name in
                  ("author_name", "author_organisation", "author_consent", "consent_evidence")
                  } | {"is_third_party": bool(data.get("is_third_party"))}
        # Only the facts this council asks (the others are left as they are).
        for ask in self.asks:
            for name in document_fact_fields(ask):
                kwargs[name] = data.get(name)
        return kwargs


def document_fact_fields(ask) -> dict[str, forms.Field]:
    """The questions for one document fact the council's policy asks
    (`CouncilPolicy.document_facts`), with its rule IDs as the hint."""
    rules = ", ".join(ask.rule_ids)
    if ask.code == DocumentFact.PROVIDER:
        return {
            "what_was_given": forms.CharField(
                label="What did the third party give? (third-party material only)",
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"{rules}. For example: a school report on attendance, given by the "
                          "head teacher on 3 March 2026."),
            "use_restrictions": forms.CharField(
                label="Did they restrict its further use? (third-party material only)",
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"{rules}. For example: not to be shared with the family. Leave "
                          "empty if they set none."),
        }
    if ask.code == DocumentFact.INFORMANT:
        return {
            "concerns_child_protection": forms.BooleanField(
                label="This is an informant's information about child protection",
                required=False,
                help_text=f"{rules}: it is shared with the informant's identity redacted, "
                          "rather than waiting for their consent."),
        }
    return {}


class UploadForm(AuthorshipForm):
    title = forms.CharField(label="Document title", max_length=200,
                            error_messages={"required": "Enter a title for the document"},
                            help_text="For example: Child protection conference minutes, "
                                      "12 May 2026")
    file = forms.FileField(
        label="Upload a file",
        help_text=f"PDF, PNG or JPEG, up to {MAX_UPLOAD_BYTES // 2**20} MB and 500 pages, "
                  "pages no larger than A0. Password-protected PDFs cannot be used.",
        error_messages={"required": "Select a file to upload",
                        "empty": "The selected file is empty"},
    )
    field_order = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_UPLOAD_BYTES // 2**20} MB")
        return upload


class TextRecordForm(AuthorshipForm):
    title = forms.CharField(label="Title", max_length=200,
                            error_messages={"required": "Enter a title for the record"},
                            help_text="For example: Chronology, January to June 2026")
    text = forms.CharField(
        label="Text", widget=forms.Textarea(attrs={"rows": 16}), strip=False,
        error_messages={"required": "Enter the text of the record"},
        help_text="Write or paste a case summary, chronology or minutes, up to about "
                  f"{MAX_TEXT_PAGES} pages. You redact it on the next page.",
    )
    field_order = ["title", "text"]


class ChooseDocumentsForm(GdsForm):
    documents = forms.ModelMultipleChoiceField(
        label="Documents in the pack", queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one document for the pack"},
    )

    def __init__(self, *args, request_obj, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = request_obj.documents.filter(
            is_disclosure_copy=False).order_by("pk")
        self.fields["documents"].label_from_instance = _document_label


def _document_label(document: Document) -> str:
    parts = [document.title]
    if document.is_third_party:
        parts.append(f"third-party ({document.author_line or 'author unknown'}): "
                     f"{document.get_author_consent_display().lower()}")
    return " – ".join(parts)


class SendPackForm(GdsForm):
    method = forms.ChoiceField(
        label="How is the pack being sent?", choices=Pack.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the pack is being sent"},
    )
    sent_to = forms.CharField(
        label="Sent to", max_length=255,
        help_text="The secure email address, or the postal address for post or hand delivery.",
        error_messages={"required": "Enter where the pack is being sent"},
    )
    address_confirmed = forms.BooleanField(
        label="I have confirmed this address is correct for the requester", help_text="ALL-6",
        error_messages={"required": "Confirm the address is correct for the requester"},
    )


class FinaliseForm(GdsForm):
    """Finalising a pack: suggestions neither accepted nor rejected are confirmed first, and
    the count confirmed is the count the page showed."""

    confirm_pending = forms.BooleanField(required=False)
    pending_seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, pending_total: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pending_seen"].initial = pending_total
        s = "" if pending_total == 1 else "s"
        self.fields["confirm_pending"].label = (
            f"I have reviewed the {pending_total} suggestion{s} not yet accepted or rejected "
            "and finalise anyway")

    def reviewed_pending(self) -> int | None:
        if self.is_valid() and self.cleaned_data["confirm_pending"]:
            return self.cleaned_data["pending_seen"]
        return None
