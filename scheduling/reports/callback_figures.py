"""Callback figures: were the callbacks promised for the period made in time?"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q

from cases.models import Channel
from scheduling.models.callbacks import Callback, CallbackState
from scheduling.reports.scope import ReportScope


@dataclass(frozen=True)
class CallbackSummary:
    scheduled: int
    in_slot: int
    in_window: int
    later: int
    reached_first_attempt: int
    average_attempts: float | None
    still_open: int
    #: Of ``scheduled``: booked by the caller on the public callback page.
    from_web: int = 0


def callback_summary(scope: ReportScope) -> CallbackSummary:
    """Callbacks promised for the period, and when they were made, in one query.

    A callback counts in the period of the slot first promised to the caller.
    *In slot*: reached before that slot ended. *Same opening*: reached later,
    but on the same phone day. *Later*: on a later day. Attempts are the calls
    it took: the calls without answer plus the one that reached the caller.
    """
    callbacks = scope.filters.apply(
        Callback.objects.filter(
            promised_slot_start__gte=scope.start, promised_slot_start__lt=scope.end
        ),
        prefix="case__",
    )
    done = Q(state=CallbackState.DONE, completed_at__isnull=False)
    same_day = Q(completed_day=F("promised_day"))
    after_slot = done & Q(completed_at__gte=F("promised_slot_end"))
    figures = callbacks.annotate(
        completed_day=scope.day_of("completed_at"),
        promised_day=scope.day_of("promised_slot_start"),
    ).aggregate(
        scheduled=Count("id"),
        in_slot=Count("id", filter=done & Q(completed_at__lt=F("promised_slot_end"))),
        in_window=Count("id", filter=after_slot & same_day),
        after_slot=Count("id", filter=after_slot),
        first_attempt=Count("id", filter=done & Q(attempts=0)),
        average_attempts=Avg(F("attempts") + 1, filter=done),
        still_open=Count("id", filter=Q(state__in=CallbackState.open())),
        from_web=Count("id", filter=Q(case__channel=Channel.WEB)),
    )
    average = figures["average_attempts"]
    return CallbackSummary(
        scheduled=figures["scheduled"],
        in_slot=figures["in_slot"],
        in_window=figures["in_window"],
        # Not "~same_day" in SQL: a day outside the period is NULL there.
        later=figures["after_slot"] - figures["in_window"],
        reached_first_attempt=figures["first_attempt"],
        average_attempts=None if average is None else round(float(average), 2),
        still_open=figures["still_open"],
        from_web=figures["from_web"],
    )
