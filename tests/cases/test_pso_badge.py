"""The PSO status badge: level, end date, and the warning when a status ends soon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from cases.models import PsoLevel, PsoStatus
from cases.templatetags.pso import badge_context, expires_soon

pytestmark = pytest.mark.usefixtures("english")

TODAY = dt.date(2026, 11, 27)


def render(source: str, **context) -> str:
    return Template("{% load pso %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("valid_until", "flagged"),
    [
        (None, False),  # open-ended
        (TODAY - dt.timedelta(days=1), False),  # already ended: not "soon"
        (TODAY, True),  # ends today
        (TODAY + dt.timedelta(days=60), True),  # the last day of the warning period
        (TODAY + dt.timedelta(days=61), False),
    ],
)
def test_expires_soon_within_the_warning_period(valid_until, flagged):
    assert expires_soon(valid_until, TODAY, 60) is flagged


def test_warning_period_comes_from_settings(settings):
    settings.PSO_EXPIRY_WARNING_DAYS = 10
    soon = timezone.localdate() + dt.timedelta(days=11)
    assert not badge_context(PsoLevel.TREDE_1, soon)["expiring"]
    settings.PSO_EXPIRY_WARNING_DAYS = 30
    assert badge_context(PsoLevel.TREDE_1, soon)["expiring"]


def test_badge_of_a_status_record_shows_level_end_date_and_warning():
    record = PsoStatus(
        level=PsoLevel.TREDE_3,
        effective_from=dt.date(2024, 1, 1),
        valid_until=timezone.localdate() + dt.timedelta(days=5),
    )
    html = render("{% pso_badge status %}", status=record)
    assert 'class="pso-badge pso-trede_3"' in html
    assert "Trede 3" in html
    assert "until" in html
    assert "expires soon" in html


def test_badge_without_a_status_says_none():
    html = render("{% pso_badge status %}", status=None)
    assert "pso-none" in html
    assert "None / self-scan" in html
    assert "expires soon" not in html


def test_badge_of_a_level_and_date_as_annotated_on_list_rows():
    soon = timezone.localdate() + dt.timedelta(days=5)
    html = render("{% pso_badge_level level until %}", level="aspirant", until=soon)
    assert "pso-aspirant" in html
    assert "expires soon" in html


def test_snapshot_badge_does_not_warn_about_an_old_end_date():
    soon = timezone.localdate() + dt.timedelta(days=5)
    html = render(
        "{% pso_badge_level level until flag_expiry=False %}", level="aspirant", until=soon
    )
    assert "expires soon" not in html
    assert "until" in html


def test_annotated_row_without_status_shows_none():
    assert "pso-none" in render("{% pso_badge_level None None %}")


def test_expiry_filter_for_templates_that_only_need_the_flag():
    soon = timezone.localdate() + dt.timedelta(days=1)
    html = render("{% if until|pso_expires_soon %}soon{% endif %}", until=soon)
    assert html == "soon"
