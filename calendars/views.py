"""The month preview of the configured calendars, for managers."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calendars import configured
from calendars.models import Calendar, Weekday
from calendars.preview import month_preview
from staff.roles import manager_required

BOTH = "both"
CALENDAR_CHOICES = [(BOTH, _("Phone and office hours")), *Calendar.choices]


def parse_month(value: str) -> dt.date:
    """The first day of a month written as ``YYYY-MM``; ``ValueError`` for anything else."""
    year, _sep, month = value.strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and 1 <= len(month) <= 2 and month.isdigit()):
        raise ValueError(value)
    return dt.date(int(year), int(month), 1)


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class CalendarPreviewForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-12"}),
        help_text=_("Year and month, e.g. 2026-12."),
    )
    calendar = forms.ChoiceField(label=_("Calendar"), choices=CALENDAR_CHOICES, required=False)

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data["month"]
        if not value:
            return None
        try:
            first = parse_month(value)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a month. Enter the year and month, e.g. 2026-12."),
                params={"value": value},
                code="invalid",
            ) from None
        years = configured.HOLIDAY_YEARS
        if first.year not in years:
            raise forms.ValidationError(
                _("Choose a month from %(first)s to %(last)s."),
                params={"first": years.start, "last": years.stop - 1},
                code="out_of_range",
            )
        return first


#: The admin pages where each part of the configuration is edited.
ADMIN_PAGES = [
    ("admin:calendars_weeklyhours_changelist", _("Weekly opening hours")),
    ("admin:calendars_holidayoverride_changelist", _("Holiday overrides")),
    ("admin:calendars_closure_changelist", _("Closures")),
    ("admin:calendars_specialhours_changelist", _("Changed hours")),
]


@manager_required
def calendar_preview(request: HttpRequest) -> HttpResponse:
    """A month of opening times of the phone and office calendars, as configured now.

    ``?month=YYYY-MM&calendar=phone|office|both``; without a month, the current month. A bad
    parameter is shown as a form error (status 400) next to the current month's grid.
    """
    form = CalendarPreviewForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    cleaned = form.cleaned_data if form.is_bound else {}
    first = cleaned.get("month") or timezone.localdate().replace(day=1)
    choice = cleaned.get("calendar") or BOTH
    shown = list(Calendar.values) if choice == BOTH else [choice]
    weeks = month_preview(first.year, first.month, shown, language=configured.holiday_language())
    years = configured.HOLIDAY_YEARS
    previous, following = shift_month(first, -1), shift_month(first, 1)
    context = {
        "form": form,
        "first": first,
        "weeks": weeks,
        "choice": choice,
        "weekdays": Weekday.labels,
        "calendar_labels": dict(Calendar.choices),
        "previous": previous if previous.year in years else None,
        "next": following if following.year in years else None,
        "admin_pages": [(reverse(name), label) for name, label in ADMIN_PAGES],
    }
    return render(
        request, "scheduling/calendar_preview.html", context, status=200 if valid else 400
    )
