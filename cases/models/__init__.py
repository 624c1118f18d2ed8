"""The data of the helpdesk: organisations, their PSO status, contacts, cases and timelines."""

from cases.models.cases import Case, CaseCounter, Category, Channel, Priority, Status
from cases.models.contacts import Contact, PhoneNumber
from cases.models.imports import ImportState, OrganisationImport
from cases.models.mail import (
    DeliveryEvent,
    DeliveryEventKind,
    InboundMessage,
    InboundOutcome,
    InboundStatus,
    MailAttachment,
    OutboundMessage,
    OutboundStatus,
    WebhookToken,
)
from cases.models.merges import CaseMerge
from cases.models.organisations import Organisation, OrganisationKind, PsoLevel, PsoStatus
from cases.models.presence import CasePresence
from cases.models.replies import CannedAnswer, HelpdeskSignature, OutboundAttachment, Signature
from cases.models.saved_filters import SavedFilter
from cases.models.targets import SlaTarget, UrgencyKeyword
from cases.models.timeline import (
    CallDirection,
    CallOutcome,
    CaseChange,
    ChangeCause,
    Note,
    PhoneCall,
)

__all__ = [
    "CallDirection",
    "CallOutcome",
    "CannedAnswer",
    "Case",
    "CaseChange",
    "CaseMerge",
    "CasePresence",
    "ChangeCause",
    "CaseCounter",
    "Category",
    "Channel",
    "Contact",
    "DeliveryEvent",
    "DeliveryEventKind",
    "HelpdeskSignature",
    "ImportState",
    "InboundMessage",
    "InboundOutcome",
    "InboundStatus",
    "MailAttachment",
    "Note",
    "Organisation",
    "OrganisationImport",
    "OutboundAttachment",
    "OutboundMessage",
    "OutboundStatus",
    "OrganisationKind",
    "PhoneCall",
    "PhoneNumber",
    "Priority",
    "PsoLevel",
    "PsoStatus",
    "SavedFilter",
    "Signature",
    "SlaTarget",
    "Status",
    "UrgencyKeyword",
    "WebhookToken",
]
