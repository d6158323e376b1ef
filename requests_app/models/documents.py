"""Documents on a request and hard-copy requests."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models

from policies.base import SendMethod

from .requests import InformationRequest


def _random_upload_name(instance, filename: str) -> str:
    # Files never keep the uploader's name on disk: it may itself identify a child.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{uuid.uuid4().hex}{suffix}"


# Every send method of the policy vocabulary, in the words shown on screen and in case notes.
SEND_METHOD_LABELS: tuple[tuple[str, str], ...] = (
    (SendMethod.SECURE_EMAIL, "Secure email"),
    (SendMethod.CRYPTSHARE, "Cryptshare"),
    (SendMethod.EGRESS, "Egress"),
    (SendMethod.HAND_DELIVERY, "By hand"),
    (SendMethod.POST, "Post"),
    (SendMethod.TELEPHONE, "Telephone (told verbally)"),
    (SendMethod.UNSECURE_EMAIL, "Ordinary email"),
)


class Document(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", "Uploaded file"
        TEXT = "text", "Text record"

    class AuthorConsent(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not third-party material"
        REQUESTED = "requested", "Consent requested"
        GRANTED = "granted", "Consent granted"
        REFUSED = "refused", "Consent refused"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=_random_upload_name, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Third-party material needs its author's consent before release (ALL-5, CAMDEN-9, BH-5).
    is_third_party = models.BooleanField(default=False)
    author_name = models.CharField(max_length=120, blank=True)
    author_organisation = models.CharField(max_length=160, blank=True)
    author_consent = models.CharField(
        max_length=12, choices=AuthorConsent.choices, default=AuthorConsent.NOT_NEEDED
    )
    consent_evidence = models.TextField(blank=True)
    # CAMDEN-8: what the third party gave and any restriction on its further use.
    what_was_given = models.TextField(blank=True)
    use_restrictions = models.TextField(blank=True)
    # BH-5: an informant's information about child protection is shared, anonymised.
    concerns_child_protection = models.BooleanField(default=False)
    # ALL-5: someone confirmed every passage the author's consent would cover is redacted.
    redaction_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    redaction_confirmed_at = models.DateTimeField(null=True, blank=True)
    # What was provided to the requester (NOTTS-1.2.2: a copy is filed in Documents).
    is_disclosure_copy = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.title

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/png", "image/jpeg")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def author_line(self) -> str:
        return ", ".join(part for part in (self.author_name, self.author_organisation) if part)


class HardCopyRequest(models.Model):
    """A list of documents asked for as hard copies after sharing (NOTTS-2)."""

    class Method(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        CRYPTSHARE = "cryptshare", "Cryptshare"
        EGRESS = "egress", "Egress"
        POST = "post", "Post"
        HAND_DELIVERY = "hand_delivery", "By hand"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="hard_copy_requests"
    )
    items = models.TextField(help_text="One document per line.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Only the CSM who approved the sharing may approve the copies (NOTTS-2).
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.OneToOneField(
        "requests_app.DisclosureDecision", null=True, blank=True, on_delete=models.PROTECT,
        related_name="hard_copy_request",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    sent_to = models.CharField(max_length=255, blank=True)
    address_confirmed = models.BooleanField(default=False)
    # BH-8: a pack sent by post is second-checked by another person before it goes.
    second_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"Hard copies for {self.request}"

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class RecordsRetrieval(models.Model):
    """Paper files fetched from the Records Management Service, or microfilm access (NOTTS-1.3)."""

    class Medium(models.TextChoices):
        PAPER = "paper", "Paper files"
        MICROFILM = "microfilm", "Microfilm"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="retrievals"
    )
    medium = models.CharField(max_length=10, choices=Medium.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    retrieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retrieved_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.get_medium_display()} for {self.request}"

    @property
    def files_out(self) -> bool:
        """Paper files are out of storage until returned (NOTTS-1.3: BS returns them)."""
        return self.medium == self.Medium.PAPER and self.returned_at is None
