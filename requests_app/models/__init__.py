from .append_only import AppendOnlyError
from .councils import Council, Membership, Role, Team, TeamKind, User
from .documents import Document, HardCopyRequest, RecordsRetrieval
from .letters import Letter
from .notes import AuditEvent, CaseNote, ChainTail, DisclosureDecision
from .notifications import Notification
from .packs import Pack, PackItem, Redaction, RedactionReason, RejectedSuggestion
from .permissions import OpenWork, RequestGroupObjectPermission, RequestUserObjectPermission
from .records import CaseRecord, CaseRecordName, ParentalResponsibility, SensitiveDetail
from .requesters import AgencyType, Requester
from .requests import (
    OPEN_STATES,
    Channel,
    ClockPause,
    Consent,
    InformationRequest,
    ParentsInformed,
    RequestAmendment,
    RequestState,
    RequestSubject,
    RequestType,
)

__all__ = [
    "OPEN_STATES", "AgencyType", "AppendOnlyError", "AuditEvent", "CaseNote", "CaseRecord",
    "CaseRecordName", "ChainTail",
    "Channel", "ClockPause", "Consent", "Council", "DisclosureDecision", "Document",
    "HardCopyRequest",
    "InformationRequest", "Letter", "Membership", "Notification", "OpenWork", "Pack", "PackItem",
    "Redaction",
    "RedactionReason",
    "RejectedSuggestion", "ParentalResponsibility", "ParentsInformed",
    "RecordsRetrieval", "RequestAmendment", "RequestGroupObjectPermission", "RequestState",
    "RequestSubject",
    "RequestType", "RequestUserObjectPermission", "Requester", "Role", "SensitiveDetail",
    "Team", "TeamKind", "User",
]
