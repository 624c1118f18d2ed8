"""Writes of an organisation's PSO history: an assessment outcome, recorded as it was given."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction

from cases.models import Organisation, PsoLevel, PsoStatus
from cases.models.organisations import PsoSource

#: How long an Aspirant status lasts unless the record says otherwise: the
#: scheme's aim is to reach a Trede within two years.
ASPIRANT_VALIDITY = relativedelta(years=2)


def default_valid_until(level: str, effective_from: dt.date) -> dt.date | None:
    """The end of a status when none is given: two years for Aspirant, open otherwise."""
    if level == PsoLevel.ASPIRANT:
        return effective_from + ASPIRANT_VALIDITY
    return None


@transaction.atomic
def pso_status_record(
    *,
    organisation: Organisation,
    level: str,
    effective_from: dt.date,
    valid_until: dt.date | None = None,
    reference: str = "",
    source: str = PsoSource.MANUAL,
    note: str = "",
) -> PsoStatus:
    """Add an assessment outcome to the organisation's history."""
    status = PsoStatus(
        organisation=organisation,
        level=level,
        effective_from=effective_from,
        valid_until=valid_until or default_valid_until(level, effective_from),
        reference=reference,
        source=source,
        note=note,
    )
    status.full_clean()
    status.save()
    return status
