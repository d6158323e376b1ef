"""Adding documents and recording third-party consent (ALL-5, CAMDEN-9, BH-5)."""

from django import forms

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
        return {name: data.get(name) or "" for name in
                ("author_name", "author_organisation", "author_consent", "consent_evidence")
                } | {"is_third_party": bool(data.get("is_third_party"))}


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
        label="I have confirmed this address is correct for the requester", required=False,
        help_text="ALL-6, BH-8",
    )
