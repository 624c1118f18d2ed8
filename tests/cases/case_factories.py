"""The old builder names of the case tests, as thin calls of ``tests.factories``.

New tests use ``tests.factories`` directly (``OrganisationFactory(pso=…)``,
``ContactFactory``, ``CaseFactory``); these stay for tests still written against them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cases.models import Contact, Organisation, PsoLevel
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory, category

__all__ = ["ASPIRANT", "TREDE_3", "case", "category", "contact", "organisation"]


def organisation(
    name: str | None = None,
    *,
    kvk: str = "",
    level: str | None = None,
    effective_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    phone: str = "",
    **fields: Any,
) -> Organisation:
    if name is not None:
        fields["name"] = name
    if level is not None:
        fields["pso"] = level
        if effective_from is not None:
            fields["pso__effective_from"] = effective_from
        if valid_until is not None:
            fields["pso__valid_until"] = valid_until
    return OrganisationFactory(kvk_number=kvk, phone=phone, **fields)


def contact(
    name: str | None = None,
    *,
    organisation: Organisation | None = None,
    phone: str = "",
    email: str = "",
) -> Contact:
    fields: dict[str, Any] = {} if name is None else {"name": name}
    return ContactFactory(organisation=organisation, phone=phone, email=email, **fields)


def case(subject: str = "Vraag over de Trede-certificering", *, actor=None, **fields: Any):
    return CaseFactory(subject=subject, actor=actor, **fields)


ASPIRANT = PsoLevel.ASPIRANT
TREDE_3 = PsoLevel.TREDE_3
