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


class RequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)
    request_open = models.BooleanField(default=True, db_default=True)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission", "content_object"]),
                   models.Index(fields=["user", "permission", "content_object"],
                                condition=OPEN_GRANT, name="user_grant_open_work")]


class RequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(InformationRequest, on_delete=models.CASCADE)
    request_open = models.BooleanField(default=True, db_default=True)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "permission", "content_object"]),
                   models.Index(fields=["group", "permission", "content_object"],
                                condition=OPEN_GRANT, name="group_grant_open_work")]
