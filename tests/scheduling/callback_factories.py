"""Small builders for callback tests: cases with a contact and organisation, fixed times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cases.models import Channel, Contact, Organisation, PhoneNumber, Priority, PsoLevel
from cases.services import case_open, pso_status_record

AMS = ZoneInfo("Europe/Amsterdam")


def ams(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware Dutch wall-clock time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMS)


def make_case(
    *,
    subject: str = "Vraag over de PSO-status",
    priority: str = Priority.NORMAL,
    name: str = "Jan Jansen",
    email: str = "jan@almelo.nl",
    organisation: Organisation | None = None,
    number: str = "+31546123456",
    created_at: dt.datetime | None = None,
):
    if organisation is None:
        organisation = Organisation.objects.create(name="Gemeente Almelo", city="Almelo")
    contact = Contact.objects.create(name=name, email=email, organisation=organisation)
    PhoneNumber.objects.create(contact=contact, number=number)
    return case_open(
        subject=subject,
        channel=Channel.PHONE,
        actor=None,
        contact=contact,
        priority=priority,
        created_at=created_at or ams(2026, 11, 20, 10),
    )


def give_pso(organisation: Organisation, level: str = PsoLevel.TREDE_3) -> None:
    pso_status_record(organisation=organisation, level=level, effective_from=dt.date(2024, 1, 1))
