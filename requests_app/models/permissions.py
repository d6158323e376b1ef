"""guardian's direct foreign-key object permissions on requests.

The generic tables store object ids as text and cannot join on an index; these have a real FK,
so "requests I may see" is an indexed join (DEVELOPERS.md stack).
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .requests import InformationRequest

# Whether the request the grant is on is open (ADR 0026): kept in step by
# InformationRequest.save() and access.grant(), so a person's open work is read from their
# open grants alone, a partial index whatever their history.
OPEN_GRANT = models.Q(request_open=True)


# A grant is looked up two ways: a holder's grants (guardian's unique (holder, permission,
# content_object) serves it, and the partial index below their open work), and whether a given
# request is granted to this holder, once per request a list or a search reads (access.py's
# EXISTS probes). The second is (content_object, permission, holder), which answers from the
# index alone and also serves the foreign key (its first column): with the foreign key's own
# index, each probe read the request's every grant from the table (ADR 0035).


class RequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE,
                                       db_index=False)
    request_open = models.BooleanField(default=True, db_default=True)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission", "user"],
                                name="user_grant_by_request"),
                   models.Index(fields=["user", "permission", "content_object"],
                                condition=OPEN_GRANT, name="user_grant_open_work")]


class RequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE,
                                       db_index=False)
    request_open = models.BooleanField(default=True, db_default=True)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission", "group"],
                                name="group_grant_by_request"),
                   models.Index(fields=["group", "permission", "content_object"],
                                condition=OPEN_GRANT, name="group_grant_open_work")]


class OpenWork(models.Model):
    """One open request one person may see, with what their tabs ask of it (ADR 0038):
    written only by PostgreSQL triggers (migration 0024), from the request, its grants, the
    holders' groups and its hard copies, inside the transaction that changes any of them. The
    home page counts a person's open work from their rows alone, and picks the requests of a
    page of a tab (in due-date order) from them, so neither joins the council's open requests
    with the person's grants. Who may see a request is still decided by access.py from
    guardian's rows: each request a page lists is checked there, as before.

    PostgreSQL only: the SQLite demo counts from the requests, as before. No foreign-key
    constraints: the triggers remove a request's rows with it, and a constraint would make
    every refresh check three tables for rows it has just read."""

    pk = models.CompositePrimaryKey("holder", "request")
    # Indexed by the primary key (holder first) and the two indexes below, not one each.
    holder = models.ForeignKey("requests_app.User", on_delete=models.DO_NOTHING,
                               db_constraint=False, db_index=False, related_name="+")
    request = models.ForeignKey(InformationRequest, on_delete=models.DO_NOTHING,
                                db_constraint=False, db_index=False, related_name="+")
    council = models.ForeignKey("requests_app.Council", on_delete=models.DO_NOTHING,
                                db_constraint=False, db_index=False, related_name="+")
    due_date = models.DateField(null=True)
    # Routed or allocated to this person ("Waiting for me"; otherwise "For my team").
    mine = models.BooleanField()
    # Waiting for this person's decision, or their approval of hard copies.
    decide = models.BooleanField()

    class Meta:
        # A person's open work in due-date order, with what the tabs ask of each: the counts
        # and the lists' pages (sorted by due date) are read from this index alone.
        indexes = [models.Index(fields=["holder", "council", "due_date", "request"],
                                include=["mine", "decide"], name="open_work_to_count"),
                   models.Index(fields=["request"], name="open_work_of_request")]

    def __str__(self) -> str:
        return f"request {self.request_id} for person {self.holder_id}"
