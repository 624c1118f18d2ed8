"""The helpdesk's configured business calendars.

``phone_hours()``: when the phone is answered (by default Monday–Thursday 08:30–12:30).
``office_hours()``: the working day that the email target counts in (by default Monday–Friday
09:00–17:00). Both are built from the configuration that managers edit
(``calendars.models``) and the Dutch public holidays of the ``holidays``
package.

The hours of a date, for one calendar (:func:`day_plan`), in order:

1. the weekly hours of its weekday (a calendar without any weekly rows falls back to its
   default hours, so the promise never disappears by deleting rows);
2. a Dutch *public* holiday is closed (Good Friday included; Liberation Day only in the years
   the package lists it as public, the lustrum years) — unless a holiday override switches it
   off for this calendar; an override can also switch an optional holiday on (closed);
3. changed hours for the date replace the hours of steps 1–2, also on a holiday;
4. closures come last: a whole-day closure closes the date, a part-day closure removes its
   interval from what is left (a training afternoon 13:00–17:00 leaves the morning open).

Caching: each process keeps the built calendars together with a *stamp* of the configuration
(row count and last change of each configuration table, read in one query). For
:data:`CACHE_SECONDS` the cached calendars are used without any query; after that the stamp is
read again and the calendars are rebuilt (one query per configuration table) only when it
changed. Saving or deleting configuration in this process marks the cache stale at once, so the
next call sees the change; other processes see it within :data:`CACHE_SECONDS`. (A bulk
``QuerySet.update()`` that does not set ``updated_at`` and keeps the row count would go unseen:
change configuration through the models or the admin.)
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from calendars.business_calendar import BusinessCalendar
from calendars.models import (
    CONFIG_MODELS,
    Calendar,
    Closure,
    HolidayOverride,
    SpecialHours,
    WeeklyHours,
    calendars_of,
    dutch_holidays,
)

#: The helpdesk's zone as the settings gave it when this module was imported, for code that
#: imports the name. Calendars are built in ``settings.TIME_ZONE`` as it is at build time.
TIME_ZONE: str = settings.TIME_ZONE

Interval = tuple[dt.time, dt.time]
Hours = tuple[Interval, ...]

DEFAULT_PHONE_HOURS: dict[int, Hours] = {
    day: ((dt.time(8, 30), dt.time(12, 30)),) for day in range(0, 4)
}
DEFAULT_OFFICE_HOURS: dict[int, Hours] = {
    day: ((dt.time(9, 0), dt.time(17, 0)),) for day in range(0, 5)
}
DEFAULT_HOURS: dict[str, dict[int, Hours]] = {
    Calendar.PHONE: DEFAULT_PHONE_HOURS,
    Calendar.OFFICE: DEFAULT_OFFICE_HOURS,
}

#: Years of holidays loaded into a calendar: wide enough for any SLA or
#: callback computed today, small enough to build in a few milliseconds.
HOLIDAY_YEARS = range(2015, 2041)

#: How long a process trusts its cached calendars before reading the configuration stamp again.
CACHE_SECONDS = 10.0


@lru_cache(maxsize=1)
def dutch_public_holidays() -> frozenset[dt.date]:
    """Dutch public holidays (Good Friday, Liberation Day in lustrum years included)."""
    return frozenset(
        day for year in HOLIDAY_YEARS for day, (_, public) in dutch_holidays(year).items() if public
    )


# --- Pure rules ---------------------------------------------------------------------------


def subtract_interval(hours: Iterable[Interval], start: dt.time, end: dt.time) -> Hours:
    """``hours`` without the half-open interval ``[start, end)``: what a part-day closure leaves."""
    left: list[Interval] = []
    for opens, closes in hours:
        if closes <= start or end <= opens:
            left.append((opens, closes))
            continue
        if opens < start:
            left.append((opens, start))
        if end < closes:
            left.append((end, closes))
    return tuple(left)


@dataclass(frozen=True)
class ClosureRule:
    calendars: frozenset[str]
    first_day: dt.date
    last_day: dt.date
    starts: dt.time | None
    ends: dt.time | None
    reason: str

    def covers(self, calendar: str, day: dt.date) -> bool:
        return calendar in self.calendars and self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class CalendarConfig:
    """A snapshot of the configuration rows, as plain data (no queries after loading)."""

    #: calendar → weekday → intervals (a calendar missing here uses its default hours).
    weekly: Mapping[str, Mapping[int, Hours]] = field(default_factory=dict)
    #: calendar → date → True (closed: holiday switched on) / False (open: switched off).
    holidays: Mapping[str, Mapping[dt.date, bool]] = field(default_factory=dict)
    closures: tuple[ClosureRule, ...] = ()
    #: calendar → date → changed hours.
    special: Mapping[str, Mapping[dt.date, Hours]] = field(default_factory=dict)

    def weekly_hours(self, calendar: str) -> Mapping[int, Hours]:
        return self.weekly.get(calendar) or DEFAULT_HOURS[calendar]

    def touched_dates(self, calendar: str) -> set[dt.date]:
        """Dates on which some exception applies to ``calendar``."""
        days = set(self.holidays.get(calendar, {})) | set(self.special.get(calendar, {}))
        for rule in self.closures:
            if calendar in rule.calendars:
                days.update(
                    rule.first_day + dt.timedelta(days=n)
                    for n in range((rule.last_day - rule.first_day).days + 1)
                )
        return days


@dataclass(frozen=True)
class DayPlan:
    """The hours of one date in one calendar, and why they differ from the weekly hours."""

    date: dt.date
    hours: Hours
    public_holiday: bool = False
    #: True: a holiday switched on (closed); False: a public holiday switched off (worked).
    holiday_override: bool | None = None
    changed_hours: bool = False
    closures: tuple[str, ...] = ()

    @property
    def holiday_closed(self) -> bool:
        return self.holiday_override if self.holiday_override is not None else self.public_holiday


def day_plan(config: CalendarConfig, calendar: str, day: dt.date) -> DayPlan:
    """The hours of ``day`` in ``calendar`` by the rules in this module's docstring."""
    hours: Hours = tuple(config.weekly_hours(calendar).get(day.weekday(), ()))
    public = day in dutch_public_holidays()
    override = config.holidays.get(calendar, {}).get(day)
    closed_for_holiday = override if override is not None else public
    if closed_for_holiday:
        hours = ()
    special = config.special.get(calendar, {}).get(day)
    if special is not None:
        hours = special
    reasons: list[str] = []
    for rule in config.closures:
        if not rule.covers(calendar, day):
            continue
        reasons.append(rule.reason)
        if rule.starts is None or rule.ends is None:
            hours = ()
        else:
            hours = subtract_interval(hours, rule.starts, rule.ends)
    return DayPlan(
        date=day,
        hours=hours,
        public_holiday=public,
        holiday_override=override,
        changed_hours=special is not None,
        closures=tuple(reasons),
    )


def build_calendar(config: CalendarConfig, calendar: str) -> BusinessCalendar:
    """The ``BusinessCalendar`` of ``calendar`` for a configuration snapshot.

    Every date with an exception gets its resolved hours (:func:`day_plan`) as special hours;
    the other public holidays are days off. So the calendar and the month preview agree. The
    zone is the helpdesk's, ``settings.TIME_ZONE``.
    """
    touched = config.touched_dates(calendar)
    special = {day: day_plan(config, calendar, day).hours for day in touched}
    days_off = dutch_public_holidays() - touched
    return BusinessCalendar(
        config.weekly_hours(calendar), settings.TIME_ZONE, days_off=days_off, special_hours=special
    )


# --- Loading and caching ---------------------------------------------------------------------


def load_config() -> CalendarConfig:
    """Read the configuration: one query per configuration table."""
    weekly: dict[str, dict[int, list[Interval]]] = {}
    for row in WeeklyHours.objects.order_by("opens"):
        weekly.setdefault(row.calendar, {}).setdefault(row.weekday, []).append(
            (row.opens, row.closes)
        )
    holidays: dict[str, dict[dt.date, bool]] = {}
    for row in HolidayOverride.objects.all():
        for calendar in calendars_of(row.scope):
            holidays.setdefault(calendar, {})[row.date] = row.closed
    closures = tuple(
        ClosureRule(
            calendars=frozenset(calendars_of(row.scope)),
            first_day=row.first_day,
            last_day=row.until,
            starts=row.starts,
            ends=row.ends,
            reason=row.reason,
        )
        for row in Closure.objects.order_by("first_day", "starts", "pk")
    )
    special: dict[str, dict[dt.date, list[Interval]]] = {}
    for row in SpecialHours.objects.order_by("opens"):
        for calendar in calendars_of(row.scope):
            special.setdefault(calendar, {}).setdefault(row.date, []).append(
                (row.opens, row.closes)
            )
    return CalendarConfig(
        weekly={cal: {day: tuple(h) for day, h in days.items()} for cal, days in weekly.items()},
        holidays=holidays,
        closures=closures,
        special={
            cal: {day: tuple(sorted(h)) for day, h in days.items()} for cal, days in special.items()
        },
    )


def config_stamp() -> tuple[object, ...]:
    """Row count and last change of every configuration table, in one query.

    Adding or deleting a row changes a count; saving one moves its ``updated_at`` forward.
    """
    quote = connection.ops.quote_name
    parts = []
    for model in CONFIG_MODELS:
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        parts.append(f"(SELECT MAX({quote('updated_at')}) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


@dataclass(frozen=True)
class BuiltCalendars:
    """The calendars of one configuration snapshot, with that snapshot and its stamp."""

    stamp: tuple[object, ...]
    checked_at: float
    config: CalendarConfig
    calendars: Mapping[str, BusinessCalendar]


_cache: BuiltCalendars | None = None
_build_lock = threading.Lock()


def _clock() -> float:
    return time.monotonic()


def _current() -> BuiltCalendars:
    global _cache
    cached = _cache
    now = _clock()
    if cached is not None and now - cached.checked_at < CACHE_SECONDS:
        return cached
    with _build_lock:
        cached = _cache
        if cached is not None and now - cached.checked_at < CACHE_SECONDS:
            return cached
        # Stamp first: a change that lands while loading makes the next check rebuild again.
        stamp = config_stamp()
        if cached is not None and cached.stamp == stamp:
            _cache = replace(cached, checked_at=now)
            return _cache
        config = load_config()
        calendars = {cal: build_calendar(config, cal) for cal in Calendar.values}
        _cache = BuiltCalendars(stamp=stamp, checked_at=now, config=config, calendars=calendars)
        return _cache


def mark_calendars_stale(**_: object) -> None:
    """Make the next call check the configuration stamp (after a change in this process)."""
    global _cache
    cached = _cache
    if cached is not None:
        _cache = replace(cached, checked_at=float("-inf"))


def clear_calendar_cache() -> None:
    """Forget the built calendars entirely (tests, and after restoring a database)."""
    global _cache
    _cache = None


def _config_changed(**kwargs: object) -> None:
    mark_calendars_stale()
    # Also after commit: a call between the change and its commit may have re-cached the old
    # configuration under the old stamp.
    transaction.on_commit(mark_calendars_stale)


def connect_cache_invalidation() -> None:
    """Mark the cached calendars stale whenever a configuration row is saved or deleted.

    Connected once by ``CalendarsConfig.ready``; this only keeps a cache honest, it
    decides nothing about cases or callbacks.
    """
    for model in CONFIG_MODELS:
        post_save.connect(_config_changed, sender=model, dispatch_uid=f"calendars-{model.__name__}")
        post_delete.connect(
            _config_changed, sender=model, dispatch_uid=f"calendars-del-{model.__name__}"
        )


# --- Public API --------------------------------------------------------------------------------


def calendar_for(calendar: str) -> BusinessCalendar:
    """The configured ``BusinessCalendar`` of ``calendar`` ("phone" or "office")."""
    return _current().calendars[Calendar(calendar)]


def phone_hours() -> BusinessCalendar:
    """When the phone is answered, as configured (default Monday–Thursday 08:30–12:30)."""
    return calendar_for(Calendar.PHONE)


def office_hours() -> BusinessCalendar:
    """The working day of the email target, as configured (default Monday–Friday 09:00–17:00)."""
    return calendar_for(Calendar.OFFICE)


def current_calendars() -> BuiltCalendars:
    """The built calendars together with the configuration they were built from (one snapshot:
    what the month preview shows and what the calendars answer cannot disagree)."""
    return _current()


def current_config() -> CalendarConfig:
    """The configuration snapshot the current calendars were built from."""
    return _current().config


def holiday_language() -> str:
    """The ``holidays`` language that follows the active language (names are for display only)."""
    return "nl" if (get_language() or "nl").startswith("nl") else "en_US"
