"""The report's period picker and filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from calendars.span import FIRST_DAY, LAST_DAY, within_span
from cases.models import Category, Channel, Priority, PsoLevel
from scheduling.reports.figures import ReportFilters
from scheduling.reports.period import Period, PeriodKind, containing, last_complete

#: The longest custom period: a year and a bit, so a report stays a report.
MAX_DAYS = 400


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (PeriodKind.WEEK, _("Week")),
            (PeriodKind.MONTH, _("Month")),
            (PeriodKind.QUARTER, _("Quarter")),
            (PeriodKind.CUSTOM, _("Custom dates")),
        ],
        required=False,
    )
    date = forms.DateField(
        label=_("Containing"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Any day in the week, month or quarter."),
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All"))] + Channel.choices, required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("All"))] + Priority.choices, required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("All")
    )
    pso_level = forms.ChoiceField(
        label=_("PSO level when asked"),
        choices=[("", _("All"))] + PsoLevel.choices,
        required=False,
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def _clean_day(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not within_span(day):
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s."),
                params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
            )
        return day

    def clean_date(self) -> dt.date | None:
        return self._clean_day("date")

    def clean_start(self) -> dt.date | None:
        return self._clean_day("start")

    def clean_end(self) -> dt.date | None:
        return self._clean_day("end")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        kind = data.get("period") or PeriodKind.WEEK
        data["period"] = kind
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Choose both dates of a custom period."))
            if end < start:
                raise forms.ValidationError(_("The period cannot end before it starts."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("A custom period can be at most %(days)d days long."),
                    params={"days": MAX_DAYS},
                )
        return data

    def report_period(self) -> Period:
        """The chosen period; the last complete week when nothing was chosen."""
        data = self.cleaned_data
        kind = PeriodKind(data["period"])
        if kind == PeriodKind.CUSTOM:
            return Period(data["start"], data["end"])
        if data.get("date"):
            return containing(kind, data["date"])
        return last_complete(kind, self.today)

    def report_filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            channel=data.get("channel") or "",
            priority=data.get("priority") or "",
            category_id=data["category"].pk if data.get("category") else None,
            pso_level=data.get("pso_level") or "",
            assignee_id=data["assignee"].pk if data.get("assignee") else None,
        )
