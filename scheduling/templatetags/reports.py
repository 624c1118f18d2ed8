"""Display of report cells: times in Amsterdam, durations as hours:minutes."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone

from scheduling.reports.figures import Percent

register = template.Library()


def working_time(value: dt.timedelta) -> str:
    """A duration as ``h:mm`` (hours may exceed 24: these are working hours)."""
    minutes = round(value.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}:{rest:02d}"


@register.filter
def report_cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "D j M")
    if isinstance(value, dt.timedelta):
        return working_time(value)
    if isinstance(value, Percent):
        return f"{formats.number_format(value, 1)} %"
    if isinstance(value, float):
        return formats.number_format(value, 2)
    return str(value)


@register.filter
def get_item(mapping: dict, key: str) -> object:
    """``mapping[key]`` in a template (None when absent)."""
    return mapping.get(key)
