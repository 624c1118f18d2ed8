"""The old builder names of the callback tests, as thin calls of ``tests.factories``.

New tests use ``tests.factories.CallerCaseFactory`` and ``tests.timehelpers.local``;
these stay for tests still written against them.
"""

from __future__ import annotations

import datetime as dt

from cases.models import Organisation, Priority, PsoLevel
from tests.factories import CallerCaseFactory, PsoStatusFactory
from tests.timehelpers import AMS, local

__all__ = ["AMS", "ams", "give_pso", "make_case"]

ams = local


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
    fields = {"contact__organisation": organisation} if organisation is not None else {}
    return CallerCaseFactory(
        subject=subject,
        priority=priority,
        contact__name=name,
        contact__email=email,
        contact__phone=number,
        created_at=created_at or local(2026, 11, 20, 10),
        **fields,
    )


def give_pso(organisation: Organisation, level: str = PsoLevel.TREDE_3) -> None:
    PsoStatusFactory(organisation=organisation, level=level, effective_from=dt.date(2024, 1, 1))
