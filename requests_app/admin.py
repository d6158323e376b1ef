"""Django admin for reference data only: councils, teams, staff and their roles (issue 11
item 6).

Nothing about children or requests is here. Case records (with their sensitive details and who
holds parental responsibility), requesters, requests, documents, packs, redactions, case
notes, decisions, amendments and the audit trail are worked on, and read, only in the app,
where every read and change is audited and council isolation applies; the platform
administrator belongs to no council and sees none of them. Requesters are left out too: they
are third parties' personal data (names, addresses, emails), recorded at intake by the council
that received the request.

Every change made here is written to the audit trail (`AuditedAdmin`); a change to who works
where (a person's council, teams and roles, or whether they may sign in) is recorded with its
before and after (`services.staff`). Reads of admin pages are audited by
`audit_reads.ReadAuditMiddleware` ("admin.viewed").
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from requests_app.models import Council, Membership, Team, User
from requests_app.services import staff
from requests_app.services.history import audit


class AuditedAdmin(admin.ModelAdmin):
    """Django's own admin log, and ours: each addition, change and deletion is an AuditEvent."""

    def _audit(self, request, obj, action, message):
        audit(request.user, action, obj, council_id=getattr(obj, "council_id", None),
              detail={"admin": True, "object": str(obj)[:200], "message": str(message)[:2000]},
              http_request=request)

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "admin.added", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "admin.changed", message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, obj, "admin.deleted", "")
        return super().log_deletions(request, queryset)


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ["name", "reference_prefix", "records_system"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "council", "kind", "locality", "exists", "csm", "manager"]
    list_filter = ["council", "kind", "exists"]
    search_fields = ["name", "locality"]
    raw_id_fields = ["csm", "manager", "group"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "council", "job_title", "is_active"]
    list_filter = ["council", "is_active", "is_staff"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Council", {"fields": ("council", "job_title", "phone")}),
    )
    inlines = [MembershipInline]

    # The form has already changed `obj` in memory, so "before" is read from the database;
    # "after" once the memberships (the inline) are saved too.
    def save_model(self, request, obj, form, change):
        request._access_before = staff.access_of(User.objects.filter(pk=obj.pk).first())
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.__dict__.pop("_membership_rows", None)
        staff.record_access_change(request.user, user,
                                   before=getattr(request, "_access_before", {}),
                                   after=staff.access_of(user), http_request=request)

    def delete_model(self, request, obj):
        staff.record_access_change(request.user, obj, before=staff.access_of(obj), after={},
                                   http_request=request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            staff.record_access_change(request.user, obj, before=staff.access_of(obj),
                                       after={}, http_request=request)
        super().delete_queryset(request, queryset)


# Django's groups (one per team, holding its object permissions) stay, with changes audited.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    pass


# The background task queue's results carry pack ids and failure tracebacks, which can quote
# a document: case work, shown to the people working on the pack on its page, not here.
try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover
    DBTaskResult = None
if DBTaskResult is not None and admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
