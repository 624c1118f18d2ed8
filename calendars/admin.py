"""Administration of the calendars: managers edit the configuration here, staff only view.

Validation lives on the models (``clean``), so the admin refuses end-before-start times,
overlapping intervals and closures with their days out of order with the models' messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from calendars.configured import holiday_language
from calendars.models import Closure, HolidayOverride, SpecialHours, WeeklyHours, dutch_holidays


def holiday_choices(around: dt.date, keep: dt.date | None = None) -> list[tuple[str, str]]:
    """Dutch holidays from last year to three years ahead as choices "date — name"."""
    language = holiday_language()
    days: dict[dt.date, str] = {}
    for year in range(around.year - 1, around.year + 4):
        days.update({day: name for day, (name, _public) in dutch_holidays(year, language).items()})
    if keep is not None and keep not in days:
        days[keep] = ""
    choices = []
    for day in sorted(days):
        shown = date_format(day, "D j F Y")
        choices.append((day.isoformat(), f"{shown} — {days[day]}" if days[day] else shown))
    return choices


class HolidayOverrideForm(forms.ModelForm):
    date = forms.TypedChoiceField(
        label=_("holiday"), coerce=dt.date.fromisoformat, choices=(), empty_value=None
    )

    class Meta:
        model = HolidayOverride
        fields = ["date", "scope", "choice", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.instance.date if self.instance.pk else None
        self.fields["date"].choices = [("", "---------")] + holiday_choices(
            timezone.localdate(), keep
        )
        if keep is not None:
            self.initial["date"] = keep.isoformat()


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ["calendar", "weekday", "opens", "closes", "updated_at"]
    list_filter = ["calendar", "weekday"]
    ordering = ["calendar", "weekday", "opens"]


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    form = HolidayOverrideForm
    list_display = ["date", "holiday_name", "scope", "choice", "note"]
    list_filter = ["scope", "choice"]
    date_hierarchy = "date"

    @admin.display(description=_("holiday"))
    def holiday_name(self, obj: HolidayOverride) -> str:
        entry = dutch_holidays(obj.date.year, holiday_language()).get(obj.date)
        return entry[0] if entry else "—"


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["reason", "first_day", "last_day", "starts", "ends", "scope"]
    list_filter = ["scope"]
    date_hierarchy = "first_day"
    search_fields = ["reason"]


@admin.register(SpecialHours)
class SpecialHoursAdmin(admin.ModelAdmin):
    list_display = ["date", "opens", "closes", "scope", "note"]
    list_filter = ["scope"]
    date_hierarchy = "date"


# --- Callbacks ---------------------------------------------------------------------------------
