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
from cases.models.organisations import Organisation, OrganisationKind, PsoLevel, PsoStatus
from cases.models.targets import SlaTarget, UrgencyKeyword
from cases.models.timeline import CallDirection, CallOutcome, CaseChange, Note, PhoneCall

__all__ = [
    "CallDirection",
    "CallOutcome",
    "Case",
    "CaseChange",
    "CaseCounter",
    "Category",
    "Channel",
    "Contact",
    "DeliveryEvent",
    "DeliveryEventKind",
    "ImportState",
    "InboundMessage",
    "InboundOutcome",
    "InboundStatus",
    "MailAttachment",
    "Note",
    "Organisation",
    "OrganisationImport",
    "OutboundMessage",
    "OutboundStatus",
    "OrganisationKind",
    "PhoneCall",
    "PhoneNumber",
    "Priority",
    "PsoLevel",
    "PsoStatus",
    "SlaTarget",
    "Status",
    "UrgencyKeyword",
    "WebhookToken",
]
