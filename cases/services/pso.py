"""Writes of an organisation's PSO history: an assessment outcome, recorded as it was given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from cases.models import Organisation, PsoLevel, PsoStatus
from cases.models.organisations import PsoSource
from cases.pso_now import StatusRecord, pso_now
from cases.selectors import pso_now_stale
from periodic import cron_schedule_ensure

#: Organisations whose kept status is worked out again per round of the roll-over.
REFRESH_CHUNK = 2_000
#: Just after midnight, Dutch time: statuses that ended yesterday or start today.
PSO_NOW_SCHEDULE_NAME = "PSO status roll-over"
PSO_NOW_TASK = "cases.tasks.pso_now_roll_over"
PSO_NOW_CRON = "1 0 * * *"

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
    organisation_pso_refresh(organisation_ids=[organisation.pk])
    return status


def organisation_pso_refresh(
    *, organisation_ids: Iterable[int], today: dt.date | None = None
) -> int:
    """Work out the kept status (``Organisation.pso_level_now``) of these organisations again.

    Every write of a PSO history calls this for the organisations it touched (the
    service above, the administration), in the same transaction. Returns how many
    organisations were looked at. Two queries and one bulk update per call.
    """
    ids = list(organisation_ids)
    if not ids:
        return 0
    today = today or timezone.localdate()
    histories: dict[int, list[StatusRecord]] = {pk: [] for pk in ids}
    rows = PsoStatus.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "pk", "level", "effective_from", "valid_until"
    )
    for organisation_id, pk, level, effective_from, valid_until in rows:
        histories[organisation_id].append(StatusRecord(pk, level, effective_from, valid_until))
    organisations = list(Organisation.objects.filter(pk__in=ids).only("pk"))
    for organisation in organisations:
        now = pso_now(histories[organisation.pk], today)
        organisation.pso_level_now = now.level
        organisation.pso_valid_until_now = now.valid_until
        organisation.pso_now_since = now.since
        organisation.pso_now_through = now.through
    Organisation.objects.bulk_update(
        organisations,
        ["pso_level_now", "pso_valid_until_now", "pso_now_since", "pso_now_through"],
        batch_size=500,
    )
    return len(organisations)


def pso_now_roll_over(*, today: dt.date | None = None) -> int:
    """The daily roll-over: work out again every kept status that no longer holds today.

    A status that ended yesterday or comes into force today changes the answer
    without any write to the history; this catches up with the calendar. Lists
    stay right without it (they derive the status of such organisations from the
    history), it only keeps them fast. Returns how many organisations changed.
    """
    today = today or timezone.localdate()
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                Organisation.objects.filter(pso_now_stale(today))
                .order_by("pk")
                .values_list("pk", flat=True)[:REFRESH_CHUNK]
            )
            if not ids:
                return done
            done += organisation_pso_refresh(organisation_ids=ids, today=today)


def pso_now_schedule_ensure(*, schedule_model: type | None = None) -> object:
    """Create or update the daily django-q schedule of the roll-over (one row, by name).

    ``schedule_model`` lets a migration pass its historical model.
    """
    return cron_schedule_ensure(
        name=PSO_NOW_SCHEDULE_NAME,
        func=PSO_NOW_TASK,
        cron=PSO_NOW_CRON,
        schedule_model=schedule_model,
    )
