"""Small builders for the tests of calls and cases: real rows, sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from cases import services
from cases.models import Category, Channel, Contact, Organisation, PhoneNumber, PsoLevel

_counter = itertools.count(1)


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
    org = Organisation.objects.create(
        name=name or f"Organisatie {next(_counter)}", kvk_number=kvk, **fields
    )
    if level is not None:
        services.pso_status_record(
            organisation=org,
            level=level,
            effective_from=effective_from or timezone.localdate() - dt.timedelta(days=100),
            valid_until=valid_until,
            reference=f"PSO-CERT-{org.pk}",
        )
    if phone:
        PhoneNumber.objects.create(organisation=org, number=phone)
    return org


def contact(
    name: str | None = None,
    *,
    organisation: Organisation | None = None,
    phone: str = "",
    email: str = "",
) -> Contact:
    person = Contact.objects.create(
        name=name or f"Contact {next(_counter)}", organisation=organisation, email=email
    )
    if phone:
        PhoneNumber.objects.create(contact=person, number=phone)
    return person


def category(slug: str = "trede") -> Category:
    return Category.objects.get(slug=slug)


def case(subject: str = "Vraag over de Trede-certificering", *, actor=None, **fields: Any):
    fields.setdefault("channel", Channel.PHONE)
    return services.case_open(subject=subject, actor=actor, **fields)


ASPIRANT = PsoLevel.ASPIRANT
TREDE_3 = PsoLevel.TREDE_3
