"""``list_date`` draws every moment as Django's ``date`` filter does, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

#: Every hour of a year with both clock changes, in UTC (the templates show local time).
MOMENTS = [
    dt.datetime(2026, 1, 1, 0, 7, 9, 123456, tzinfo=dt.UTC) + dt.timedelta(hours=h)
    for h in range(366 * 24)
]


def drawn(filter_expression: str, values: list, language: str) -> list[str]:
    source = "{% load dates %}{% for v in values %}{{ v|" + filter_expression + " }}|{% endfor %}"
    with translation.override(language):
        return Template(source).render(Context({"values": values})).split("|")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("fmt", ["j M Y H:i", "c", "j M H:i", "D j M H:i", "Y-m-d", "l j F"])
def test_every_hour_of_a_year_is_drawn_as_by_the_date_filter(fmt, language):
    expected = drawn(f'date:"{fmt}"', MOMENTS, language)
    assert drawn(f'list_date:"{fmt}"', MOMENTS, language) == expected
    if fmt == "c":  # in local time, as the page shows it
        assert expected[0] == timezone.localtime(MOMENTS[0]).isoformat()


@pytest.mark.parametrize("value", [None, "", dt.date(2026, 3, 29), "not a moment"])
def test_other_values_go_to_the_date_filter(value):
    # A date with a time format raises in Django's filter: not drawn by either.
    for fmt in ("j M Y",) if isinstance(value, dt.date) else ("j M Y", "j M Y H:i"):
        assert drawn(f'list_date:"{fmt}"', [value], "nl") == drawn(f'date:"{fmt}"', [value], "nl")
