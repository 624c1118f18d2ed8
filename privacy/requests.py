"""Handling a person's request (AVG art. 15 and 17): the export, and the erasure.

Both leave a ``PersonRequest`` record — when, by whom, what kind, how many
records — that names nobody, so it can be kept after the erasure it proves.
"""

from __future__ import annotations

from typing import IO

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from cases.models import Status
from cases.services import case_update
from privacy.anonymise.person import person_erase
from privacy.export import person_zip
from privacy.models import LegalHold, PersonRequest, PersonRequestKind
from privacy.selectors import Person, person_records


class ErasureRefused(Exception):
    """The erasure cannot go ahead; ``references`` says which cases stand in the way."""

    def __init__(self, reason: str, references: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.references = references


def open_cases_of(person: Person) -> list[str]:
    """References of the person's own cases that are still open (they are the contact)."""
    records = person_records(person)
    return list(
        records.cases.filter(
            contact__in=person.contact_pks, status__in=Status.active()
        ).values_list("reference", flat=True)
    )


def person_export(*, person: Person, actor: AbstractBaseUser) -> IO[bytes]:
    """The ZIP of everything about ``person``; the request is recorded."""
    records = person_records(person)
    counts = records.counts()
    archive = person_zip(records)
    PersonRequest.objects.create(
        handled_at=timezone.now(),
        handled_by=actor,
        kind=PersonRequestKind.ACCESS,
        records=sum(counts.values()),
        counts=counts,
    )
    return archive


def person_erasure(
    *, person: Person, actor: AbstractBaseUser, close_open_cases: bool = False
) -> PersonRequest:
    """Anonymise everything about ``person``, after closing their open cases if confirmed.

    Refused (``ErasureRefused``, nothing changed) while one of their cases is under
    a legal hold, or is still open and the manager did not confirm closing it.
    """
    records = person_records(person)
    held = list(
        LegalHold.objects.filter(case__in=records.cases).values_list("case__reference", flat=True)
    )
    if held:
        raise ErasureRefused("legal_hold", held)
    still_open = open_cases_of(person)
    if still_open and not close_open_cases:
        raise ErasureRefused("open_cases", still_open)
    for case in records.cases.filter(reference__in=still_open):
        case_update(case=case, actor=actor, status=Status.CLOSED)
    counts = records.counts()
    changed = person_erase(person=person, cases=list(records.cases))
    return PersonRequest.objects.create(
        handled_at=timezone.now(),
        handled_by=actor,
        kind=PersonRequestKind.ERASURE,
        records=sum(counts.values()),
        counts={"found": counts, "changed": changed},
        closed_cases=len(still_open),
    )
