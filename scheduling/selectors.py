"""Reusable reads of scheduling: each returns a QuerySet or plain data, never writes."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Case, Note, PhoneCall, Priority, PsoStatus, Status
from cases.models.mail import InboundMessage, OutboundMessage
from scheduling.models.callbacks import Callback, CallbackState


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) per case, as an integer annotation (0 when there are none)."""
    counted = queryset.filter(case=OuterRef("case")).order_by().values("case")
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        0,
    )


def callbacks_for_rows(*, today: dt.date | None = None) -> QuerySet[Callback]:
    """Callbacks with everything a queue row shows, in one query.

    Annotations: ``pso_level``/``pso_valid_until`` (the organisation's status in
    force today), ``last_note`` (the newest note on the case), ``contact_count``
    (calls plus emails on the case so far; automatic mails such as
    acknowledgements are not contacts) and ``overdue`` (0 for a callback still
    open from a day before ``today``, else 1).
    """
    today = today or timezone.localdate()
    day_start = dt.datetime.combine(today, dt.time(0), tzinfo=timezone.get_default_timezone())
    in_force = PsoStatus.objects.in_force_on(today).filter(
        organisation=OuterRef("case__organisation")
    )
    return Callback.objects.select_related(
        "case", "case__organisation", "case__contact", "claimed_by"
    ).annotate(
        pso_level=Subquery(in_force.values("level")[:1]),
        pso_valid_until=Subquery(in_force.values("valid_until")[:1]),
        # The caller's question as last written down: the newest note on the case.
        last_note=Subquery(
            Note.objects.filter(case=OuterRef("case"))
            .order_by("-created_at", "-pk")
            .values("body")[:1]
        ),
        contact_count=_count(PhoneCall.objects.all())
        + _count(InboundMessage.objects.all())
        + _count(OutboundMessage.objects.filter(automatic=False)),
        overdue=_overdue(day_start),
    )


def _overdue(day_start: dt.datetime) -> DbCase:
    """0: still open from a day before the one starting at ``day_start``; 1: that day or later."""
    return DbCase(
        When(slot_start__lt=day_start, state__in=CallbackState.open(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def callback_queue(
    *, day: dt.date | None = None, today: dt.date | None = None, narrow: bool = False
) -> QuerySet[Callback]:
    """The callbacks to make on ``day`` (today by default), in the order to make them.

    Overdue callbacks (open, from a day before ``today``, the real today) come
    first, urgent before normal, then oldest first; then the day's callbacks by
    slot, and within a slot urgent before normal, then oldest first. Overdue is
    judged against today whichever day is shown, so today's page and the next
    phone day's agree; the next phone day's page does not show today's callbacks,
    which are today's work. A day gone by shows its callbacks in every state.

    ``narrow``: the callbacks alone, without what a row shows (``callbacks_for_rows``),
    for counting and picking a page: with a backlog of 10,000 open callbacks, the
    rows' joins with cases read all 200,000 of them.
    """
    today = today or timezone.localdate()
    day = day or today
    tz = timezone.get_default_timezone()
    day_start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    today_start = dt.datetime.combine(today, dt.time(0), tzinfo=tz)
    if narrow:
        rows = Callback.objects.annotate(overdue=_overdue(today_start))
    else:
        rows = callbacks_for_rows(today=today)
    if day < today:
        shown = rows.filter(slot_start__gte=day_start, slot_start__lt=day_end)
    else:
        shown = rows.filter(
            Q(slot_start__gte=day_start) | Q(slot_start__lt=today_start),
            state__in=CallbackState.open(),
            slot_start__lt=day_end,
        )
    return shown.annotate(
        # Every overdue callback is due now: they share one slot key.
        slot_key=DbCase(
            When(slot_start__lt=day_start, then=Value(day_start)),
            default=F("slot_start"),
        ),
        # The urgent cases' ids (their own small index), not a join with every case.
        urgency=DbCase(
            When(case_id__in=Case.objects.filter(priority=Priority.URGENT).values("pk"), then=0),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("overdue", "slot_key", "urgency", "created_at", "pk")


def queue_page_rows(ids: list[int], *, today: dt.date | None = None) -> list[Callback]:
    """The rows of one page of the queue, in the order of ``ids`` (picked from the
    narrow queue): ``callbacks_for_rows``' joins and subqueries run for 50 rows."""
    rows = {row.pk: row for row in callbacks_for_rows(today=today).filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


# --- The first-answer target: cases about to miss the promise -------------------------------------


def sla_open_cases() -> QuerySet:
    """Active cases still waiting for their first answer, with a due time, soonest due first."""
    return (
        Case.objects.filter(
            status__in=Status.active(), first_response_at__isnull=True, due_at__isnull=False
        )
        .select_related("organisation", "contact", "assignee")
        .order_by("due_at", "pk")
    )


def sla_at_risk_counts(*, now: dt.datetime, threshold: dt.datetime) -> dict[str, int]:
    """How many running (not paused) unanswered cases are overdue, and due by ``threshold``.

    One query. ``threshold`` is ``now`` plus the warning time in working time
    (``cases.first_answer.clock.at_risk_threshold``), so a Saturday look counts Monday morning.
    """
    running = Q(sla_paused_since__isnull=True)
    return (
        sla_open_cases()
        .order_by()
        .aggregate(
            overdue=Count("pk", filter=running & Q(due_at__lt=now)),
            due_soon=Count("pk", filter=running & Q(due_at__gte=now, due_at__lte=threshold)),
            paused=Count("pk", filter=~running),
        )
    )
