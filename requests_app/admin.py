"""Django admin for reference data: councils, teams, staff, case records, requesters.

Requests and their history are worked in the app, not here: history models are read-only in
the admin (ALL-2), and requests are not registered at all so nobody bypasses the workflow.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from requests_app.models import (
    AuditEvent,
    CaseNote,
    CaseRecord,
    Council,
    DisclosureDecision,
    Membership,
    ParentalResponsibility,
    Requester,
    SensitiveDetail,
    Team,
    User,
)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "reference_prefix", "records_system"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "kind", "locality", "exists", "csm", "manager"]
    list_filter = ["council", "kind", "exists"]
    search_fields = ["name", "locality"]
    raw_id_fields = ["csm", "manager", "group"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "council", "job_title", "is_active"]
    list_filter = ["council", "is_active", "is_staff"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Council", {"fields": ("council", "job_title", "phone")}),
    )
    inlines = [MembershipInline]


class ParentalResponsibilityInline(admin.TabularInline):
    model = ParentalResponsibility
    extra = 0


class SensitiveDetailInline(admin.TabularInline):
    model = SensitiveDetail
    extra = 0


@admin.register(CaseRecord)
class CaseRecordAdmin(admin.ModelAdmin):
    list_display = ["reference", "first_name", "last_name", "council", "is_open", "closed_on"]
    list_filter = ["council", "is_open", "care_order", "on_paper", "on_microfilm"]
    search_fields = ["reference", "first_name", "last_name"]
    raw_id_fields = ["allocated_worker", "allocated_team", "last_team"]
    inlines = [ParentalResponsibilityInline, SensitiveDetailInline]


@admin.register(Requester)
class RequesterAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "agency_type", "council"]
    list_filter = ["council", "agency_type"]
    search_fields = ["name", "organisation"]


class ReadOnlyHistoryAdmin(admin.ModelAdmin):
    """History is append-only (ALL-2, BH-11): the admin may look, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyHistoryAdmin):
    list_display = ["request", "kind", "author", "created_at"]
    list_filter = ["kind"]


@admin.register(DisclosureDecision)
class DisclosureDecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["request", "about", "outcome", "decided_by", "decided_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyHistoryAdmin):
    list_display = ["at", "action", "actor", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]
