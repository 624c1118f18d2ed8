"""The one-field date and time of the call forms: what may be typed, read as Amsterdam time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django import forms

from cases.forms import CallDetailsForm, MomentField
from tests.timehelpers import local

NOW = local(2026, 12, 1, 11, 0)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("09:30", local(2026, 12, 1, 9, 30)),
        ("9.05", local(2026, 12, 1, 9, 5)),
        ("30-11 16:45", local(2026, 11, 30, 16, 45)),
        ("30-11-2026 16:45", local(2026, 11, 30, 16, 45)),
        ("  30-11-2026   16:45 ", local(2026, 11, 30, 16, 45)),
        ("2026-11-30T16:45", local(2026, 11, 30, 16, 45)),
        ("2026-11-30 16:45", local(2026, 11, 30, 16, 45)),
        ("30/11/2026 16:45", local(2026, 11, 30, 16, 45)),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_what_may_be_typed(typed, meant):
    assert MomentField().clean(typed) == meant


@pytest.mark.parametrize("typed", ["25:00", "31-02 10:00", "gisteren", "10", "1-2-3-4 10:00"])
@time_machine.travel(NOW, tick=False)
def test_what_is_refused_with_a_message(typed):
    with pytest.raises(forms.ValidationError):
        MomentField().clean(typed)


@time_machine.travel(NOW, tick=False)
def test_the_call_form_shows_now_in_one_text_field():
    html = str(CallDetailsForm()["started_at"])
    assert 'type="text"' in html and 'value="01-12-2026 11:00"' in html


@time_machine.travel(NOW, tick=False)
def test_a_call_typed_as_a_time_only_is_today(db):
    form = CallDetailsForm({"started_at": "10:40", "direction": "in", "outcome": "answered"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["started_at"] == local(2026, 12, 1, 10, 40)
    assert form.cleaned_data["started_at"].tzinfo is not None
    assert form.cleaned_data["started_at"] - dt.timedelta(minutes=20) == NOW - dt.timedelta(
        minutes=40
    )
