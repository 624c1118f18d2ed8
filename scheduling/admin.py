"""Administration of scheduling: managers edit the calendar configuration here, staff only view.

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

from helpdesk.roles import is_manager
from scheduling.calendars import holiday_language
from scheduling.models import (
    Callback,
    CallbackDateCapacity,
    CallbackWeekdayCapacity,
    Closure,
    HolidayOverride,
    SlaTarget,
    SlaWarning,
    SpecialHours,
    UrgencyKeyword,
    WeeklyHours,
)
from scheduling.models.calendar_config import dutch_holidays


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


@admin.register(CallbackWeekdayCapacity)
class CallbackWeekdayCapacityAdmin(admin.ModelAdmin):
    list_display = ["weekday", "capacity"]
    ordering = ["weekday"]


@admin.register(CallbackDateCapacity)
class CallbackDateCapacityAdmin(admin.ModelAdmin):
    list_display = ["date", "capacity", "note"]
    date_hierarchy = "date"


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    """Callbacks are booked and worked through the helpdesk's own pages (which keep capacity
    and claims right); here they are looked up, and only their notes can be corrected."""

    list_display = ["slot_start", "number", "case", "state", "attempts", "claimed_by"]
    list_filter = ["state"]
    date_hierarchy = "slot_start"
    search_fields = ["number", "case__reference", "case__subject"]
    list_select_related = ["case", "claimed_by"]
    readonly_fields = [
        "case",
        "number",
        "slot_start",
        "slot_minutes",
        "attempts",
        "state",
        "claimed_by",
        "claimed_at",
        "requested_by_caller",
        "requested_at",
        "created_at",
        "created_by",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False


# --- The first-answer target (scheduling.sla) ----------------------------------------------------


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    """One row per channel and priority; a change applies to cases opened afterwards."""

    list_display = ["channel", "priority", "working_time", "updated_at"]
    list_filter = ["channel", "priority"]
    readonly_fields = ["updated_at"]


@admin.register(UrgencyKeyword)
class UrgencyKeywordAdmin(admin.ModelAdmin):
    """Words that make a mail urgent when its subject contains them as whole words."""

    list_display = ["word", "active"]
    list_editable = ["active"]
    search_fields = ["word"]


@admin.register(SlaWarning)
class SlaWarningAdmin(admin.ModelAdmin):
    """The warnings mailed about first-answer targets: a record, never edited (managers)."""

    list_display = ["sent_at", "case", "kind", "due_at"]
    list_filter = ["kind"]
    date_hierarchy = "sent_at"
    search_fields = ["case__reference", "recipients"]
    list_select_related = ["case"]
    readonly_fields = ["case", "kind", "due_at", "sent_at", "recipients"]

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return is_manager(request.user)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
