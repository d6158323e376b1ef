"""Django's ModelBackend, loading the signed-in person with their council, their roles and
how many notifications they have not read, in the same query: every page shows the council's
name and the unread count in its header and asks the policy about the person's roles, so this
saves three queries on every page (issue 12)."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import CharField, Count, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat


def _memberships_as_text():
    from requests_app.models import Membership

    return Subquery(
        Membership.objects.filter(user=OuterRef("pk")).values("user").annotate(
            rows=StringAgg(Concat("role", Value(":"), Cast("team_id", CharField())),
                           Value(","))).values("rows"))


def _unread_notifications():
    from requests_app.models import Notification

    return Subquery(
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .values("recipient").annotate(n=Count("pk")).values("n"))


def _group_ids_as_text():
    from django.contrib.auth import get_user_model

    through = get_user_model().groups.through
    return Subquery(
        through.objects.filter(user=OuterRef("pk")).values("user").annotate(
            ids=StringAgg(Cast("group_id", CharField()), Value(","))).values("ids"))


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        from requests_app import sql_memo

        model = get_user_model()
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        # On every page: its SQL is compiled once per process (sql_memo), which was ~7,000
        # of the ~9,900 Python calls of a page that shows nothing.
        found = sql_memo.instances("auth_backend.get_user", lambda pk: (
            model._default_manager.select_related("council")
            .annotate(memberships_text=_memberships_as_text(),
                      unread_now=_unread_notifications(),
                      group_ids_text=_group_ids_as_text()).filter(pk=pk)), user_id, prepare=True)
        if not found:
            return None
        user = found[0]
        # What User.membership_rows would read: (role, team id) pairs.
        text = user.__dict__.pop("memberships_text") or ""
        user._membership_rows = tuple(
            (role, int(team)) for role, team in (item.rsplit(":", 1)
                                                 for item in text.split(",") if item))
        # The teams' groups access.py compares grants with (never stale: read per request).
        groups = user.__dict__.pop("group_ids_text") or ""
        user._group_ids = tuple(int(pk) for pk in groups.split(",") if pk)
        # What notify.unread_count would read, as the page starts (a page that marks one
        # read redirects, so the count shown is never one page behind).
        user._unread_notifications = user.__dict__.pop("unread_now") or 0
        return user if self.user_can_authenticate(user) else None
