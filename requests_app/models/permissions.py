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
