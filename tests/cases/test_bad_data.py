"""Data that looks right but is not is refused: foreign digits in a KvK number, a
phone number that parses but does not exist, a formula where a name should be."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cases.models import Organisation
from cases.phones import normalise
from scheduling.reports.export import csv_value, neutralised


@pytest.mark.parametrize(
    "kvk",
    [
        "１２３４５６７８",  # full-width digits
        "١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "12345678\n",
        "1234567",
        "1234 5678",
    ],
)
def test_a_kvk_number_is_eight_ascii_digits(db, kvk):
    organisation = Organisation(name="Bakkerij Bakker", kvk_number=kvk)
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "kvk_number" in refused.value.message_dict


def test_an_ordinary_kvk_number_is_accepted(db):
    Organisation(name="Gemeente Almelo", kvk_number="12345678").full_clean()


@pytest.mark.parametrize("number", ["06-1234", "0612", "+31 6 1234", "0000000000"])
def test_a_number_that_parses_but_does_not_exist_is_refused(number):
    with pytest.raises(ValidationError):
        normalise(number)


@pytest.mark.parametrize(
    ("number", "e164"),
    [
        ("06-12345678", "+31612345678"),
        ("0546 123 456", "+31546123456"),
        ("+31 20 123 4567", "+31201234567"),
    ],
)
def test_real_dutch_numbers_are_kept(number, e164):
    assert normalise(number) == e164


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("https://evil.example","klik")', "+31 6 bellen", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_text_that_would_start_a_spreadsheet_formula_is_quoted(text):
    assert neutralised(text) == "'" + text
    assert csv_value(text, ZoneInfo("Europe/Amsterdam")) == "'" + text


def test_numbers_dates_and_plain_text_are_left_as_they_are():
    tz = ZoneInfo("Europe/Amsterdam")
    assert csv_value(-3, tz) == -3
    assert csv_value(dt.timedelta(minutes=-90), tz) == -90
    assert csv_value("Gemeente Almelo", tz) == "Gemeente Almelo"
