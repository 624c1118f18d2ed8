"""Display of report cells: times in Amsterdam, durations in words, numbers in the user's format."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats, timezone

from cases.first_answer.wording import duration_words
from scheduling.reports.figures import Percent

register = template.Library()


def working_time(value: dt.timedelta) -> str:
    """A duration in words, ``2 h 05 min``, as everywhere (hours may exceed 24: working hours)."""
    sign = "−" if value < dt.timedelta() else ""
    return sign + duration_words(value)


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
