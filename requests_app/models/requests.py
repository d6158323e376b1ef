"""The information request: the aggregate the workflow moves along."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField

from requests_app.workflow import OPEN_STATES, RequestState, RequestWorkflow

from .append_only import AppendOnlyModel
from .councils import Council, Team
from .records import CaseRecord
from .requesters import Requester


class RequestType(models.TextChoices):
    INFORMATION = "information", "Information from records"
    VIEW_RECORDS = "view_records", "Request to view records"
    HARD_COPIES = "hard_copies", "Hard copies of documents"
    MEETING_MINUTES = "meeting_minutes", "Meeting minutes"
    SUBJECT_ACCESS = "subject_access", "Subject access request"
    ADOPTION_RECORDS = "adoption_records", "Own adoption records"
    DBS = "dbs", "Disclosure and Barring Service request"
    OFSTED_ENQUIRY = "ofsted_enquiry", "Ofsted enquiry about an individual"
    OFSTED_SCHOOL_INCIDENT = "ofsted_school_incident", "Ofsted notification of a school incident"
    CAFCASS_PUBLIC_LAW = "cafcass_public_law", "CAFCASS – public law (Children's Guardian)"
    CAFCASS_PRIVATE_LAW = "cafcass_private_law", "CAFCASS – private law safeguarding information"
    CAFCASS_SECTION7 = "cafcass_section7", "CAFCASS – Section 7 report"
    CAFCASS_RULE_16_4 = "cafcass_rule_16_4", "CAFCASS – Children's Guardian under rule 16.4"
    POLICE_INVESTIGATION = "police_investigation", "Police – criminal investigation"
    LEGAL_PROCEEDINGS = "legal_proceedings", "Legal Services – proceedings"
    CHILD_SEX_OFFENDER_DISCLOSURE = (
        "child_sex_offender_disclosure", "Child sex offender disclosure enquiry"
    )
    NETWORK_CHECK = "network_check", "Network check"


class Channel(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    SECURE_EMAIL = "secure_email", "Secure email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    PORTAL = "portal", "Online form"


class Consent(models.TextChoices):
    OBTAINED = "obtained", "The subject (or someone on their behalf) has consented"
    NOT_OBTAINED = "not_obtained", "No consent"
    NOT_APPLICABLE = "not_applicable", "Not applicable (statutory duty or court order)"


class ParentsInformed(models.TextChoices):
    """CAMDEN-2 / CAMDEN-10: parents told before sharing, or the exception that applies."""

    NOT_RECORDED = "", "Not recorded"
    INFORMED = "informed", "Parents have been told"
    HARM = "harm", "Exception (a): seeking consent would put the child at further risk"
    CRIMINAL_INVESTIGATION = (
        "criminal_investigation", "Exception (b): may prejudice a criminal investigation"
    )
    NOT_PRACTICABLE = "not_practicable", "Exception (c): not reasonably practicable (undue delay)"
    COURT_ORDER = "court_order", "Exception (d): disclosure ordered by the court"


class InformationRequest(ConcurrentTransitionMixin, RequestWorkflow):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="requests")
    # e.g. NOTTS-2026-000123, unique within the council (see services.references).
    reference = models.CharField(max_length=32, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)

    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField()
    received_by_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Where the request first arrived, if not the first point of contact.",
    )
    requester = models.ForeignKey(Requester, on_delete=models.PROTECT, related_name="requests")
    subjects = models.ManyToManyField(CaseRecord, through="RequestSubject", related_name="requests")
    request_type = models.CharField(max_length=40, choices=RequestType.choices)
    information_sought = models.TextField("what is asked for")

    # Triage facts (NOTTS-0.3, 0.4, 0.7) and evidence (ALL-1, CAMDEN-1, NOTTS-5, BH-3).
    large_volume = models.BooleanField(default=False)
    asks_for_printed_files = models.BooleanField(default=False)
    working_with_subject = models.BooleanField(null=True)
    specific_information = models.BooleanField(null=True)
    consent = models.CharField(max_length=20, choices=Consent.choices, blank=True)
    consent_evidence = models.TextField(blank=True)
    lawful_basis = models.TextField(blank=True)
    public_interest_justification = models.TextField(blank=True)
    necessity_note = models.TextField(
        "why this is necessary and proportionate", blank=True,
        help_text="Only what is necessary, only to those who need to know.",
    )
    childrens_guardian_appointed = models.BooleanField(default=False)  # DEVON-1, DEVON-2.2
    criminal_investigation = models.BooleanField(default=False)  # DEVON-6, CAMDEN-2(b)
    # Meeting minutes (DEVON-3, DEVON-7).
    meeting_kind = models.CharField(
        max_length=20, blank=True,
        choices=[("cin", "Child in Need meeting"), ("cp_conference", "Child protection conference"),
                 ("ppm", "Pre-proceedings meeting"), ("cic_review", "Child in Care review")],
    )
    requester_attended_or_invited = models.BooleanField(null=True)
    minutes_signed_by_chair = models.BooleanField(default=False)
    chair_agreed = models.BooleanField(default=False)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    identity_reverified_at = models.DateTimeField(null=True, blank=True)
    parents_informed = models.CharField(
        max_length=32, choices=ParentsInformed.choices, blank=True, default=""
    )
    court_order = models.BooleanField("court order for disclosure", default=False)
    parental_responsibility_permission = models.BooleanField(
        "everyone with parental responsibility has given permission", default=False
    )
    child_permission = models.CharField(
        max_length=32, blank=True,
        choices=[
            ("given", "The child has given permission"),
            ("not_given", "The child has not given permission"),
            ("not_of_understanding", "The child is not of sufficient age and understanding"),
        ],
    )
    # DEVON-2.1: the names of the people with parental responsibility who gave permission.
    pr_permissions = models.JSONField(default=list, blank=True)
    family_wishes_acknowledged = models.BooleanField(default=False)
    subject_informed = models.BooleanField(default=False)
    # BH-10: the child asked for part of their record to be deleted, and what they were told.
    deletion_requested = models.BooleanField(default=False)
    deletion_response = models.TextField(blank=True)
    family_informed_after = models.CharField(
        max_length=32, choices=ParentsInformed.choices, blank=True, default=""
    )

    # Where the policy sent it, in the words shown on screen.
    routed_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="routed_requests"
    )
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="routed_requests",
    )
    route_explanation = models.TextField(blank=True)
    route_rule_ids = models.JSONField(default=list, blank=True)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="allocated_requests",
    )
    # Policy step codes (policies.base.Action) done so far; gates read them.
    completed_steps = models.JSONField(default=list, blank=True)
    pending_check = models.CharField(max_length=32, blank=True)
    check_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A referral inside the council lands in this team's queue (ALL-4, NOTTS-0.1, NOTTS-4 …).
    referred_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    requester_told = models.TextField(blank=True)

    # The clock (policies.deadlines computes; these are its inputs and result).
    due_date = models.DateField(null=True, blank=True)
    statutory_due_date = models.DateField(null=True, blank=True)
    extension_days = models.PositiveIntegerField(default=0)
    extension_reason = models.TextField(blank=True)
    deadline_explanation = models.TextField(blank=True)

    state = FSMField(
        max_length=32, choices=RequestState.choices, default=RequestState.RECEIVED, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="logged_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta(RequestWorkflow.Meta):
        abstract = False
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="request_reference_unique_in_council"
            ),
            models.UniqueConstraint(
                fields=["council", "year", "sequence"], name="request_sequence_unique_in_council"
            ),
        ]
        indexes = [
            models.Index(fields=["council", "state", "due_date"]),
            models.Index(fields=["council", "-received_at"]),
            models.Index(fields=["routed_to", "state"]),
            models.Index(fields=["allocated_worker", "state"]),
            models.Index(fields=["routed_team", "state"]),
            # The open work only (a few per cent of the rows): every counted home tab and the
            # first point of contact's list read this, index-only, never the history. Keys,
            # not INCLUDE, so SQLite builds it too (ADR 0018).
            models.Index(
                fields=["council", "due_date", "id", "state", "routed_to", "allocated_worker"],
                condition=models.Q(state__in=sorted(OPEN_STATES)), name="request_open_work",
            ),
            # The open tabs in the other orders a person can choose (queues.SORTS): without
            # these PostgreSQL walks the council's whole history in that order to find the
            # open work (0.7 s for a page sorted by reference at a million requests).
            models.Index(fields=["council", "reference"], name="request_open_by_reference",
                         condition=models.Q(state__in=sorted(OPEN_STATES))),
            models.Index(fields=["council", "received_at", "id"],
                         name="request_open_by_received",
                         condition=models.Q(state__in=sorted(OPEN_STATES))),
            # "All I can see" in due-date order for whoever sees the whole council.
            models.Index(fields=["council", "due_date", "id"], name="request_council_due"),
            # Requests found by id (a search's children, a page of results): what search sorts
            # and filters them by, read from the index alone (ADR 0035). Those columns change
            # only when a correction moves the date received, so the index costs a write when
            # a request is logged, and otherwise leaves updates as they were.
            models.Index(fields=["id"], include=["council", "received_at", "created_by"],
                         name="request_found_by_id"),
            # Search (ADR 0019): part of a reference. The words of what was asked are a
            # PostgreSQL-only stored column with its own indexes (migration 0019, ADR 0027).
            GinIndex(fields=["reference"], opclasses=["gin_trgm_ops"],
                     name="request_reference_trgm"),
        ]
        permissions = [
            ("act_on_request", "Can act on the request at its current step"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        state = instance.__dict__.get("state")
        instance._was_open = None if state is None else state in OPEN_STATES
        return instance

    def save(self, *args, **kwargs):
        """Saved, and when the request opens or closes, its grants say so in the same
        transaction: the queues find a person's open work from their open grants alone
        (ADR 0026), so the two must never disagree."""
        from django.db import transaction

        was_open = getattr(self, "_was_open", None)
        now_open = self.state in OPEN_STATES
        with transaction.atomic():
            super().save(*args, **kwargs)
            if was_open is not None and was_open != now_open:
                for model in (self.requestuserobjectpermission_set.model,
                              self.requestgroupobjectpermission_set.model):
                    model.objects.filter(content_object=self).update(request_open=now_open)
        self._was_open = now_open

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def has_completed(self, step: str) -> bool:
        return step in self.completed_steps


class ClockPause(models.Model):
    """A period when the deadline clock stood still (e.g. waiting for consent)."""

    request = models.ForeignKey(InformationRequest, on_delete=models.PROTECT, related_name="pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self):
        return f"Paused from {self.started_on:%d %b %Y}"


class RequestSubject(models.Model):
    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)
    # Indexed with the request: a search finds a child's requests from the index alone.
    case_record = models.ForeignKey(CaseRecord, on_delete=models.PROTECT, db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "case_record"], name="subject_once")
        ]
        indexes = [models.Index(fields=["case_record", "request"], name="subject_requests")]

    def __str__(self):
        return f"{self.case_record} on {self.request}"


class RequestAmendment(AppendOnlyModel):
    """A correction to a request's recorded facts: who, when, why and the old value. The
    request shows the current value; this history is never changed (ALL-2, BH-11)."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.PROTECT, related_name="amendments"
    )
    field = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.TextField()
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amended_at", "id"]

    def __str__(self):
        return f"{self.label} on {self.request_id}"
