"""A fragment of a phone number finds its caller when it is the number's end (what a
phone's display or a caller reads out) or its start in any notation; both are matched
through indexes (``cases.selectors_phones``), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from cases.phones import fragment_start
from cases.selectors import caller_search
from tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("06 12", "+31612"),
        ("0546-54", "+3154654"),
        ("+31 6 12", "+31612"),
        ("0031 6 12", "+31612"),
        ("+49 30", "+4930"),
        ("12345678", None),
        ("62001", None),
    ],
)
def test_a_fragment_typed_from_the_front_names_the_start_of_a_number(typed, start):
    assert fragment_start(typed) == start


@pytest.fixture
def callers():
    els = ContactFactory(name="Els", phone="+31612345678")
    piet = ContactFactory(name="Piet", phone="+31546620012")
    town = OrganisationFactory(name="Gemeente Borne", phone="+31742620012")
    return {"els": els, "piet": piet, "town": town}


@pytest.mark.parametrize("typed", ["5678", "345678", "12345678", "6 1234 5678", "612345678"])
def test_the_end_of_a_number_finds_the_caller(callers, typed):
    assert caller_search(typed).contacts == [callers["els"]]


@pytest.mark.parametrize("typed", ["0612", "06-1234", "+31 6 123", "0031 612 34"])
def test_the_start_of_a_number_in_any_notation_finds_the_caller(callers, typed):
    assert caller_search(typed).contacts == [callers["els"]]


def test_one_end_finds_contacts_and_organisations_that_share_it(callers):
    results = caller_search("620012")
    assert results.contacts == [callers["piet"]]
    assert results.organisations == [callers["town"]]


def test_digits_from_the_middle_of_a_number_are_not_a_fragment(callers):
    # "2345" is inside +31612345678 but neither its start nor its end: reading every
    # number for it is what made a five-digit search scan ten thousand numbers.
    assert caller_search("2345").contacts == []
