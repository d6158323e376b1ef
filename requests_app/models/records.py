"""The subject's case record in the council's social care system (read-only here: it mirrors
Framework / MOSAIC / Eclipse, which remain the record of truth)."""

from datetime import date

from django.contrib.postgres.indexes import GinIndex
from django.db import models

from .councils import Council, Team


class CaseRecord(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="case_records")
    reference = models.CharField("record reference", max_length=40)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    locality = models.CharField(max_length=80, blank=True)

    is_open = models.BooleanField("case open", default=False)
    opened_on = models.DateField("date the case was opened", null=True, blank=True)
    closed_on = models.DateField("closure date", null=True, blank=True)
    has_cp_history = models.BooleanField("child protection history", default=False)
    allocated_worker = models.ForeignKey(
        "requests_app.User", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="allocated_cases",
    )
    allocated_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="allocated_cases"
    )
    last_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="last_held_cases",
        help_text="The social work team that last held the case.",
    )

    # Where the record is (NOTTS-1.2 / NOTTS-1.3).
    on_electronic = models.BooleanField("electronic record", default=True)
    on_paper = models.BooleanField("paper files", default=False)
    on_microfilm = models.BooleanField("microfilm", default=False)
    mash_enquiry_only = models.BooleanField("only record is a MASH enquiry", default=False)

    care_order = models.BooleanField("subject to a Care Order", default=False)
    in_care = models.BooleanField("child in care", default=False)
    adopted = models.BooleanField(default=False)

    disclosure_restrictions = models.TextField(
        blank=True, help_text="What may and may not be shared."
    )
    family_wishes = models.TextField(
        blank=True,
        help_text="Information the family asked not to be shared more widely.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="case_reference_unique_in_council"
            )
        ]
        indexes = [
            # Search by name (ADR 0034): a name found in CaseRecordName reads its records
            # from these alone (ids carried), never from the table. Skipped on SQLite.
            models.Index(fields=["council", "last_name", "first_name"], include=["id"],
                         name="case_record_by_last_name"),
            models.Index(fields=["council", "first_name", "last_name"], include=["id"],
                         name="case_record_by_first_name"),
            models.Index(fields=["council", "date_of_birth"]),
            # Search (ADR 0019): typo-tolerant and partial names, partial record references.
            # PostgreSQL only: migration 0014 skips them on SQLite, where search falls back.
            GinIndex(fields=["first_name"], opclasses=["gin_trgm_ops"],
                     name="caserecord_first_name_trgm"),
            GinIndex(fields=["last_name"], opclasses=["gin_trgm_ops"],
                     name="caserecord_last_name_trgm"),
            GinIndex(fields=["reference"], opclasses=["gin_trgm_ops"],
                     name="caserecord_reference_trgm"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.reference})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def media_label(self) -> str:
        parts = [
            label
            for flag, label in (
                (self.on_electronic, "electronic"),
                (self.on_paper, "paper"),
                (self.on_microfilm, "microfilm"),
            )
            if flag
        ]
        return ", ".join(parts) or "none recorded"


class CaseRecordName(models.Model):
    """Every first or last name that a case record of the council holds now, once: what a
    search by name matches with typos forgiven, before it reads the records holding the
    names it found (search.record_matches, ADR 0034). A common surname is one row here, not
    thousands of records to test one by one.

    Kept by PostgreSQL triggers on case records (migration 0021), whatever writes them (the
    app, a bulk load, raw SQL): a name enters with the first record that holds it and leaves
    with the last. Never read on SQLite, where search matches the records themselves."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council", "name"],
                                               name="case_record_name_once")]

    def __str__(self):
        return self.name


class ParentalResponsibility(models.Model):
    """Someone with parental responsibility for the subject (DEVON-2.1, CAMDEN-2)."""

    case_record = models.ForeignKey(
        CaseRecord, on_delete=models.CASCADE, related_name="parental_responsibility"
    )
    name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=60)

    class Meta:
        verbose_name_plural = "people with parental responsibility"

    def __str__(self):
        return f"{self.name} ({self.relationship})"


class SensitiveDetail(models.Model):
    """A fact on the case that must not leave the council: fed to redaction suggestions."""

    class Kind(models.TextChoices):
        PLACEMENT_ADDRESS = "placement_address", "Placement address"  # BH-9, DEVON-3.1
        ADOPTER = "adopter", "Adopter's identifying detail"  # BH-9
        INFORMANT = "informant", "Third-party informant"  # BH-5
        THIRD_PARTY = "third_party", "Third party"  # ALL-5

    case_record = models.ForeignKey(
        CaseRecord, on_delete=models.CASCADE, related_name="sensitive_details"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    value = models.CharField(max_length=255)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"
