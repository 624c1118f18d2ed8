"""Configuration of the business calendars: weekly hours, holidays, closures and changed hours.

Managers change these rows (in the administration); ``calendars.configured`` turns them into the
``BusinessCalendar`` of each calendar. How a day's hours follow from the rows is stated there
(``calendars.configured.day_plan``); the rules *here* are only what a single row must satisfy:

* an interval ends after it starts (``08:30-12:30``; openings never straddle midnight);
* intervals that apply to the same calendar on the same day never overlap (touching is fine);
* a closure's last day is not before its first day, and a part-day closure gives both times;
* a holiday override names a date that the ``holidays`` package lists as a Dutch holiday, and
  there is at most one override per calendar and date.

Every row has ``updated_at``: together with the row counts it forms the configuration stamp that
tells a running process its cached calendars are out of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The longest closure that can be entered as one row (a year: beyond that it is not a closure).
MAX_CLOSURE_DAYS = 366


class Calendar(models.TextChoices):
    """The helpdesk's two business calendars."""

    PHONE = "phone", _("Phone hours")
    OFFICE = "office", _("Office hours")


class Scope(models.TextChoices):
    """Which calendar(s) an exception applies to."""

    BOTH = "both", _("Phone and office hours")
    PHONE = "phone", _("Phone hours only")
    OFFICE = "office", _("Office hours only")


class Weekday(models.IntegerChoices):
    # Their own context, so these capitalised labels never replace the day names
    # Django uses in dates ("maandag 30 november").
    MONDAY = 0, pgettext_lazy("weekday label", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday label", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday label", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday label", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday label", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday label", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday label", "Sunday")


class HolidayChoice(models.TextChoices):
    OPEN = "open", _("Open: the helpdesk works this holiday")
    CLOSED = "closed", _("Closed: the helpdesk observes this holiday")


def scopes_for(calendar: str) -> tuple[str, ...]:
    """The scopes whose rows apply to ``calendar`` (its own and "both")."""
    return (calendar, Scope.BOTH.value)


def scopes_touching(scope: str) -> tuple[str, ...]:
    """The scopes that share at least one calendar with ``scope``."""
    if scope == Scope.BOTH:
        return tuple(Scope.values)
    return scopes_for(scope)


def calendars_of(scope: str) -> tuple[str, ...]:
    """The calendars a row with ``scope`` applies to."""
    if scope == Scope.BOTH:
        return tuple(Calendar.values)
    return (scope,)


@lru_cache(maxsize=64)
def dutch_holidays(year: int, language: str = "en_US") -> dict[dt.date, tuple[str, bool]]:
    """Dutch holidays of ``year``: date → (name in ``language``, is a public holiday).

    Public holidays close the calendars by default. Optional ones (Liberation Day outside the
    lustrum years) stay working days unless a manager switches them on. Names are for display
    only; no rule looks at them.
    """
    public = holidays.country_holidays("NL", years=year, language=language)
    listed = holidays.country_holidays(
        "NL", years=year, language=language, categories=(holidays.PUBLIC, holidays.OPTIONAL)
    )
    return {day: (name, day in public) for day, name in sorted(listed.items())}


def _intervals_overlap(a: tuple[dt.time, dt.time], b: tuple[dt.time, dt.time]) -> bool:
    """Half-open intervals overlap when each starts before the other ends (touching is fine)."""
    return a[0] < b[1] and b[0] < a[1]


def _show(t: dt.time) -> str:
    return time_format(t, "H:i")


def _check_interval(opens: dt.time | None, closes: dt.time | None, fields: tuple[str, str]) -> None:
    if opens is not None and closes is not None and closes <= opens:
        raise ValidationError(
            {
                fields[1]: ValidationError(
                    _("The end time must be after the start time (%(start)s)."),
                    params={"start": _show(opens)},
                    code="end_before_start",
                )
            }
        )


def _refuse_overlap(
    interval: tuple[dt.time, dt.time], others: Iterable[tuple[dt.time, dt.time]]
) -> None:
    for other in others:
        if _intervals_overlap(interval, other):
            raise ValidationError(
                _("%(start)s–%(end)s overlaps %(other_start)s–%(other_end)s on the same day."),
                params={
                    "start": _show(interval[0]),
                    "end": _show(interval[1]),
                    "other_start": _show(other[0]),
                    "other_end": _show(other[1]),
                },
                code="overlap",
            )


class ConfigRow(models.Model):
    """What every configuration row has: the moment it last changed (for the stamp)."""

    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class WeeklyHours(ConfigRow):
    """One opening interval of a calendar on a weekday; a weekday without rows is closed."""

    calendar = models.CharField(_("calendar"), max_length=10, choices=Calendar.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))

    class Meta:
        # Moved here from the scheduling app; the table kept its name.
        db_table = "scheduling_weeklyhours"
        verbose_name = _("weekly opening hours")
        verbose_name_plural = _("weekly opening hours")
        ordering = ["calendar", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="weekly_hours_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_calendar_display()}: {self.get_weekday_display()} "
            f"{_show(self.opens)}–{_show(self.closes)}"
        )

    def clean(self) -> None:
        _check_interval(self.opens, self.closes, ("opens", "closes"))
        if self.opens is None or self.closes is None or self.weekday is None:
            return
        others = (
            WeeklyHours.objects.filter(calendar=self.calendar, weekday=self.weekday)
            .exclude(pk=self.pk)
            .values_list("opens", "closes")
        )
        _refuse_overlap((self.opens, self.closes), others)


class HolidayOverride(ConfigRow):
    """A Dutch holiday switched off (the helpdesk works) or on (closed) for one or both calendars.

    Public holidays are closed by default, so switching one *off* opens the weekly hours on that
    date; switching an optional holiday (Liberation Day outside lustrum years) *on* closes it.
    """

    date = models.DateField(_("holiday"))
    scope = models.CharField(_("applies to"), max_length=10, choices=Scope.choices)
    choice = models.CharField(_("the helpdesk is"), max_length=10, choices=HolidayChoice.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        # Moved here from the scheduling app; the table kept its name.
        db_table = "scheduling_holidayoverride"
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["date", "scope"]

    def __str__(self) -> str:
        return f"{date_format(self.date)}: {self.get_choice_display()} ({self.get_scope_display()})"

    @property
    def closed(self) -> bool:
        return self.choice == HolidayChoice.CLOSED

    def clean(self) -> None:
        if self.date is None or not self.scope:
            return
        if self.date not in dutch_holidays(self.date.year):
            raise ValidationError(
                {
                    "date": _(
                        "%(date)s is not a Dutch holiday. To close the helpdesk on another day, "
                        "add a closure; to change its hours, add changed hours."
                    )
                },
                params={"date": date_format(self.date)},
            )
        clash = (
            HolidayOverride.objects.filter(date=self.date, scope__in=scopes_touching(self.scope))
            .exclude(pk=self.pk)
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _("There is already an override for this holiday (%(other)s); change that one."),
                params={"other": clash.get_scope_display()},
                code="duplicate",
            )


class Closure(ConfigRow):
    """Days the helpdesk is closed: a date or date range, the whole day or between two times.

    A part-day closure (a training afternoon 13:00–17:00) removes that interval from each day's
    hours, leaving the rest of the day open.
    """

    scope = models.CharField(_("applies to"), max_length=10, choices=Scope.choices)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("Leave empty for a single day.")
    )
    starts = models.TimeField(
        _("closed from"), null=True, blank=True, help_text=_("Leave empty for the whole day.")
    )
    ends = models.TimeField(
        _("closed until"), null=True, blank=True, help_text=_("Leave empty for the whole day.")
    )
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        # Moved here from the scheduling app; the table kept its name.
        db_table = "scheduling_closure"
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["first_day", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__isnull=True)
                | models.Q(last_day__gte=models.F("first_day")),
                name="closure_days_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(starts__isnull=True, ends__isnull=True)
                | models.Q(ends__gt=models.F("starts")),
                name="closure_times_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.period_display()})"

    @property
    def until(self) -> dt.date:
        """The last closed date (the first day when no last day is given)."""
        return self.last_day or self.first_day

    @property
    def whole_day(self) -> bool:
        return self.starts is None

    def period_display(self) -> str:
        days = date_format(self.first_day)
        if self.last_day and self.last_day != self.first_day:
            days = f"{days} – {date_format(self.last_day)}"
        if self.starts is not None and self.ends is not None:
            return f"{days}, {_show(self.starts)}–{_show(self.ends)}"
        return days

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                errors["last_day"] = _("The last day cannot be before the first day.")
            elif (self.last_day - self.first_day).days >= MAX_CLOSURE_DAYS:
                errors["last_day"] = ValidationError(
                    _("A closure can be at most %(days)s days long."),
                    params={"days": MAX_CLOSURE_DAYS},
                )
        if (self.starts is None) != (self.ends is None):
            missing = "ends" if self.ends is None else "starts"
            errors[missing] = _("Give both times for part of a day, or neither for the whole day.")
        elif self.starts is not None and self.ends is not None and self.ends <= self.starts:
            errors["ends"] = _("The end time must be after the start time.")
        if errors:
            raise ValidationError(errors)


class SpecialHours(ConfigRow):
    """Changed hours for one date: its rows replace the weekly hours of that date.

    Several rows for the same date give several intervals (a split day). A date with changed
    hours is open at those hours even if it is a public holiday: the rows say so explicitly.
    """

    scope = models.CharField(_("applies to"), max_length=10, choices=Scope.choices)
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        # Moved here from the scheduling app; the table kept its name.
        db_table = "scheduling_specialhours"
        verbose_name = _("changed hours")
        verbose_name_plural = _("changed hours")
        ordering = ["date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="special_hours_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{date_format(self.date)} {_show(self.opens)}–{_show(self.closes)} "
            f"({self.get_scope_display()})"
        )

    def clean(self) -> None:
        _check_interval(self.opens, self.closes, ("opens", "closes"))
        if self.opens is None or self.closes is None or self.date is None or not self.scope:
            return
        others = (
            SpecialHours.objects.filter(date=self.date, scope__in=scopes_touching(self.scope))
            .exclude(pk=self.pk)
            .values_list("opens", "closes")
        )
        _refuse_overlap((self.opens, self.closes), others)


#: The configuration models, in the order the calendars are built from them.
CONFIG_MODELS: tuple[type[ConfigRow], ...] = (WeeklyHours, HolidayOverride, Closure, SpecialHours)
