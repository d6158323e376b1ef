"""Councils, their teams and the people who work in them."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models


class Council(models.Model):
    """One local authority. Its `slug` selects its policy module in `policies/`."""

    class Slug(models.TextChoices):
        DEVON = "devon", "Devon County Council"
        NOTTINGHAMSHIRE = "nottinghamshire", "Nottinghamshire County Council"
        CAMDEN = "camden", "London Borough of Camden"
        BRIGHTON_HOVE = "brighton_hove", "Brighton & Hove City Council"

    slug = models.SlugField(max_length=32, unique=True, choices=Slug.choices)
    name = models.CharField(max_length=120)
    # Prefix of request references, e.g. NOTTS → NOTTS-2026-000123.
    reference_prefix = models.CharField(max_length=10, unique=True)
    records_system = models.CharField(
        max_length=60, help_text="The case-recording system, e.g. Framework, MOSAIC, Eclipse."
    )
    sar_contact = models.CharField(
        "subject access contact", max_length=200, blank=True,
        help_text="Where subject access requests are sent (ALL-4).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeamKind(models.TextChoices):
    SCIMT = "scimt", "Safeguarding Children Information Management Team"
    SOCIAL_WORK = "social_work", "Social work team"
    DCPT = "dcpt", "District Child Protection Team"
    MASH = "mash", "Multi-Agency Safeguarding Hub"
    BUSINESS_SUPPORT = "business_support", "Business support"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"
    ACCESS_TO_INFORMATION = "access_to_information", "Access to Information (subject access)"
    SAFER_RECRUITMENT = "safer_recruitment", "Safer Recruitment"
    LEGAL_SERVICES = "legal_services", "Legal Services"
    SUPPORT_TO_SCHOOLS = "support_to_schools", "Support to Schools Service"
    ADOPTION_RECORDS = "adoption_records", "Adoption records"
    IRO = "iro", "Independent reviewing officers"


class Role(models.TextChoices):
    SCIMT_OFFICER = "scimt_officer", "SCIMT officer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    CSM = "csm", "Children's Service Manager"
    BUSINESS_SUPPORT = "business_support", "Business support officer"
    IG_OFFICER = "ig_officer", "Information governance officer"
    SAFER_RECRUITMENT_OFFICER = "safer_recruitment_officer", "Safer recruitment officer"
    LEGAL = "legal", "Legal Services"
    GROUP_MANAGER = "group_manager", "Group manager"
    ACCESS_TO_INFORMATION_OFFICER = "access_to_information_officer", "Access to Information officer"


def role_label(council: "Council | None", role: str) -> str:
    """What the council calls the role: its policy's word (a front door is not a "SCIMT
    officer" outside Nottinghamshire); the generic label where there is no council."""
    from policies.registry import get_policy  # pure Python: no import cycle with the models

    if council is not None:
        try:
            return get_policy(council.slug).role_label(role)
        except LookupError:
            pass
    return dict(Role.choices).get(role, role)


class Team(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=32, choices=TeamKind.choices)
    locality = models.CharField(max_length=80, blank=True)
    # A team that has been disbanded keeps its history; NOTTS-1.2 reroutes around it.
    exists = models.BooleanField("still exists", default=True)
    csm = models.ForeignKey(
        "requests_app.User", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="csm_of_teams", verbose_name="Children's Service Manager",
    )
    manager = models.ForeignKey(
        "requests_app.User", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="manager_of_teams", verbose_name="team manager",
    )
    email = models.EmailField(blank=True)
    # Object permissions granted to a team are granted to this group (guardian).
    group = models.OneToOneField(Group, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="team_name_unique_in_council")
        ]
        indexes = [models.Index(fields=["council", "kind", "locality"])]

    def __str__(self):
        return self.name if self.exists else f"{self.name} (no longer exists)"


class User(AbstractUser):
    """A member of staff. Everyone but a platform superuser belongs to exactly one council."""

    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    teams = models.ManyToManyField(Team, through="Membership", related_name="members", blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def membership_rows(self) -> tuple[tuple[str, int], ...]:
        """(role, team id) of each membership, read once per loaded person: the roles and the
        policy's actor snapshot both come from this one query."""
        cached = getattr(self, "_membership_rows", None)
        if cached is None:
            cached = tuple(self.memberships.values_list("role", "team_id"))
            self._membership_rows = cached
        return cached

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(role for role, _team in self.membership_rows)

    @property
    def role_labels(self) -> list[str]:
        """The person's roles in their council's own words (for the header and lists)."""
        return sorted(role_label(self.council, r) for r in self.roles)


class Membership(models.Model):
    """A person's role in a team. One person may hold several (a CSM over two teams)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {role_label(self.team.council, self.role)}, {self.team}"
