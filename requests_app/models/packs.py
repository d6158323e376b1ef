"""Redactions on documents, and the disclosure packs built from them.

A redaction is mutable until a pack that used it is finalised: it can be undone (never
deleted — the redaction log keeps what was done and undone, by whom and when). A finalised pack
is immutable: its file, SHA-256 and the record of what went into it never change; a change
after that makes a new version.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .documents import Document
from .requests import InformationRequest


class RedactionReason(models.TextChoices):
    """Why something is withheld. The code is what stands in the pack where the text stood."""

    TP = "TP", "Third-party information"
    NR = "NR", "Not relevant to the request"
    PL = "PL", "Placement details"
    AD = "AD", "Adoption details"
    LP = "LP", "Legal professional privilege"
    PC = "PC", "Prejudice to the prevention or detection of crime"
    SH = "SH", "Risk of serious harm"
    PD = "PD", "Personal data the requester is not entitled to"


class Redaction(models.Model):
    """A span of a text record, or a box on a page of an uploaded PDF or image."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Selected by hand"
        EVERY_INSTANCE = "every_instance", "Every instance"
        SUGGESTION = "suggestion", "Accepted suggestion"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="redactions")
    # Text records: character offsets into Document.text (end exclusive).
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    # PDFs and images: a box on page `page` (0-based), as fractions of the page, top-left origin.
    page = models.PositiveIntegerField(null=True, blank=True)
    x0 = models.FloatField(null=True, blank=True)
    y0 = models.FloatField(null=True, blank=True)
    x1 = models.FloatField(null=True, blank=True)
    y1 = models.FloatField(null=True, blank=True)
    # What was redacted, for the redaction log (the text under a box, where there is any).
    text = models.TextField(blank=True)
    reason = models.CharField(max_length=2, choices=RedactionReason.choices)
    note = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["page", "start", "y0", "x0", "id"]
        constraints = [
            models.CheckConstraint(
                name="redaction_is_span_or_box",
                condition=(
                    Q(page__isnull=True, start__isnull=False, end__isnull=False)
                    | Q(page__isnull=False, x0__isnull=False, y0__isnull=False,
                        x1__isnull=False, y1__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return f"{self.reason} on {self.document}"

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @property
    def is_box(self) -> bool:
        return self.page is not None


class RejectedSuggestion(models.Model):
    """A suggestion someone looked at and decided not to redact; it is not offered again."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT,
                                 related_name="rejected_suggestions")
    key = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "key"],
                                               name="one_rejection_per_suggestion")]

    def __str__(self):
        return f"Rejected suggestion {self.key} on {self.document}"


def _pack_name(instance, filename: str) -> str:
    # Named after the run that made it, so a copy left by a run killed before it was recorded
    # can be found and removed (services.packs.sweep_pack_work).
    return f"packs/{(instance.run_id or uuid.uuid4()).hex}.pdf"


class Pack(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Waiting to be generated"
        GENERATING = "generating", "Generating"
        READY = "ready", "Ready to check"
        FAILED = "failed", "Generation failed"
        FINALISED = "finalised", "Finalised"
        SENT = "sent", "Sent"

    class Method(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        CRYPTSHARE = "cryptshare", "Cryptshare"
        EGRESS = "egress", "Egress"
        POST = "post", "Post"
        HAND_DELIVERY = "hand_delivery", "By hand"

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT,
                                related_name="packs")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    documents = models.ManyToManyField(Document, through="PackItem", related_name="packs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Generation: the task that owns the current run, and how far it has got.
    run_id = models.UUIDField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # The result. `contents` records exactly what went in (documents, redactions, withheld).
    file = models.FileField(upload_to=_pack_name, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    contents = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    # BH-8: a posted pack is second-checked by someone other than who packed and sends it.
    second_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    second_checked_at = models.DateTimeField(null=True, blank=True)
    # The send record (ALL-6): how, to where, address confirmed by the sender.
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    sent_to = models.CharField(max_length=255, blank=True)
    address_confirmed = models.BooleanField(default=False)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "version"]
        constraints = [models.UniqueConstraint(fields=["request", "version"],
                                               name="one_pack_per_version")]

    def __str__(self):
        return f"{self.request.reference} pack v{self.version}"

    @property
    def locked(self) -> bool:
        """Finalised or sent: nothing about this version may change."""
        return self.status in (self.Status.FINALISED, self.Status.SENT)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class PackItem(models.Model):
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="items")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["pack", "document"],
                                               name="document_once_per_pack")]

    def __str__(self):
        return f"{self.document} in {self.pack}"
