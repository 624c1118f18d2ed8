"""The data of privacy: the retention policy, legal holds, what was anonymised, the records."""

from privacy.models.access import AccessEntry, AccessKind
from privacy.models.policy import LegalHold, RetentionPolicy
from privacy.models.records import (
    AnonymisedCase,
    AnonymisedContact,
    PersonRequest,
    PersonRequestKind,
    RetentionRun,
)

__all__ = [
    "AccessEntry",
    "AccessKind",
    "AnonymisedCase",
    "AnonymisedContact",
    "LegalHold",
    "PersonRequest",
    "PersonRequestKind",
    "RetentionPolicy",
    "RetentionRun",
]
