"""Who asks (ALL-1)."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models

from .councils import Council


class AgencyType(models.TextChoices):
    POLICE = "police", "Police"
    CAFCASS = "cafcass", "CAFCASS"
    OFSTED = "ofsted", "Ofsted"
    DBS = "dbs", "Disclosure and Barring Service"
    HEALTH = "health", "Health"
    SCHOOL = "school", "School or education"
    PROBATION = "probation", "Probation"
    OTHER_COUNCIL = "other_council", "Another local authority"
    FOSTERING_AGENCY = "fostering_agency", "Independent fostering agency"
    LEGAL_SERVICES = "legal_services", "Legal services"
    MEMBER_OF_PUBLIC = "member_of_public", "Member of the public"
    SUBJECT = "subject", "The subject themselves"
    PARENT = "parent", "Parent or carer"
    SOLICITOR = "solicitor", "Solicitor"
    OTHER = "other", "Other"


class Requester(models.Model):
    """A person at an agency. Kept per council so a known requester can be reused."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="requesters")
    name = models.CharField(max_length=120)
    # Empty for a parent or the person themselves (the policy says who needs one: ALL-1).
    organisation = models.CharField(max_length=160, blank=True)
    agency_type = models.CharField(max_length=32, choices=AgencyType.choices)
    job_title = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    secure_email = models.EmailField(
        "secure email address", blank=True,
        help_text="Where sensitive information may be sent (ALL-6), e.g. a pnn.police.uk address.",
    )
    phone = models.CharField(max_length=40, blank=True)
    postal_address = models.TextField(blank=True)
    identity_evidence = models.TextField(
        blank=True, help_text="How this person's identity was established."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["council", "name"]),
            # Search (ADR 0019): names and organisations, typos and parts of words.
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="requester_name_trgm"),
            GinIndex(fields=["organisation"], opclasses=["gin_trgm_ops"],
                     name="requester_org_trgm"),
        ]

    def __str__(self):
        return f"{self.name}, {self.organisation}" if self.organisation else self.name
