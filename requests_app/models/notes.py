"""Case notes, decisions and the audit trail: the request's history, never rewritten."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .append_only import AppendOnlyModel
from .chain import HashChained
from .councils import Council
from .records import CaseRecord
from .requests import InformationRequest


class CaseNote(HashChained, AppendOnlyModel):
    """A note on the request and, where it concerns one, on the subject's case record (ALL-3)."""

    class Kind(models.TextChoices):
        TRIAGE = "triage", "Triage"
        ROUTING = "routing", "Routing"
        DECISION = "decision", "Decision"
        ALLOCATION = "allocation", "Allocation"
        RETRIEVAL = "retrieval", "Records retrieval"
        DISCLOSURE = "disclosure", "Disclosure"
        HARD_COPIES = "hard_copies", "Hard copies"
        PACK = "pack", "Disclosure pack"
        REFERRAL = "referral", "Referral"
        CLOCK = "clock", "Clock"
        GENERAL = "general", "Note"
        CORRECTION = "correction", "Correction"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="case_notes"
    )
    case_record = models.ForeignKey(
        CaseRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="case_notes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    text = models.TextField()
    rule_ids = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set on save (not auto_now_add) so the hash covers the stored value.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    chain_time_field = "created_at"

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author} at {self.created_at:%d %b %Y %H:%M}"

    def chain_council_id(self):
        return self.request.council_id

    @staticmethod
    def chain_filter(council_id):
        return {"request__council_id": council_id}


class DisclosureDecision(AppendOnlyModel):
    """A decision to share or not to share, with its reasons, by a named person (ALL-2, BH-1)."""

    class Subject(models.TextChoices):
        SHARING = "sharing", "Sharing information"
        HARD_COPIES = "hard_copies", "Hard copies"
        PACK = "pack", "Disclosure pack"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="decisions"
    )
    about = models.CharField(max_length=20, choices=Subject.choices, default=Subject.SHARING)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField()
    conditions = models.TextField(blank=True)
    requester_informed = models.BooleanField(
        default=False, help_text="On refusal, the requester has been told."
    )
    rule_ids = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["request", "about", "decided_at"])]

    def __str__(self):
        return f"{self.get_about_display()}: {self.get_outcome_display()} by {self.decided_by}"


class AuditEvent(HashChained, AppendOnlyModel):
    """Who did what, when, to which object, from where. Written by every service."""

    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)
    request = models.ForeignKey(
        InformationRequest, null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    chain_time_field = "at"

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["request", "at"]),
            models.Index(fields=["council", "at"]),
            # The audit viewer's filters (issue 11 item 3): by person, by kind of event, and
            # by the object an event is about (a person's account, a child's register).
            models.Index(fields=["actor", "at"], name="auditevent_actor_at"),
            models.Index(fields=["council", "action", "at"], name="auditevent_council_action_at"),
            models.Index(fields=["object_type", "object_id", "at"],
                         name="auditevent_object_at"),
            # The changes of state only (reads and other events have no to_state): the
            # "time in each step" and "refusals and referrals" reports read these, which
            # are a small part of a trail that grows with every page read.
            models.Index(fields=["request", "at"], name="audit_state_changes",
                         condition=~models.Q(to_state="")),
            # A council's chain in id order: verify_history walks it, and the SQLite demo reads
            # its tail from it. (PostgreSQL did not use it for the tail, walking the primary key
            # back instead; the tail is read from ChainTail there, ADR 0039.)
            models.Index(fields=["council", "id"], name="audit_chain_tail"),
        ]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id} by {self.actor}"

    def chain_council_id(self):
        return self.council_id

    @staticmethod
    def chain_filter(council_id):
        return {"council_id": council_id}


class ChainTail(models.Model):
    """The last entry of one council's chain of audit events or of case notes (ADR 0039):
    written only by PostgreSQL triggers (migration 0025) in the statement that inserts the
    entries, read by the next entry's insert as its `prev_hash`. Reading the tail from the
    chained table itself (its newest row of that council) made PostgreSQL walk back through
    every other council's newer entries: a quiet council's page read waited behind a busy
    council's day. The SQLite demo (one writer, a small history) reads the tail from the chain.

    `council_key` is the council's id, or 0 (chain.NO_COUNCIL) for events of no council;
    `last_id` keeps the tail at the entry with the highest id whatever order statements insert
    in, so it is always the row `ORDER BY id DESC LIMIT 1` would find."""

    pk = models.CompositePrimaryKey("chain", "council_key")
    chain = models.CharField(max_length=20)  # the chained model's name, as chain.FIELDS
    council_key = models.IntegerField()
    last_id = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain} of council {self.council_key}: entry {self.last_id}"
