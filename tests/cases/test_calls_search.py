"""Finding the caller: every Dutch notation of a number, names, email, KvK numbers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import PsoLevel
from cases.selectors import caller_search, phone_query
from tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def almelo():
    org = OrganisationFactory(
        name="Gemeente Almelo", kvk_number="12345678", pso=PsoLevel.TREDE_3, phone="+31546541111"
    )
    org.email_domains = "almelo.nl"
    org.save()
    return org


@pytest.fixture
def jan(almelo):
    return ContactFactory(
        name="Jan Jansen", organisation=almelo, phone="+31612345678", email="j.jansen@almelo.nl"
    )


@pytest.mark.parametrize(
    "typed", ["06-12345678", "06 1234 5678", "+31 6 12345678", "0031612345678"]
)
def test_mobile_number_in_any_notation_finds_the_contact(jan, typed):
    results = caller_search(typed)
    assert results.number == "+31612345678"
    assert results.contacts == [jan]


@pytest.mark.parametrize("typed", ["0546 123456", "+31 546 123456", "0546-123456"])
def test_landline_in_national_and_international_notation_finds_the_same_contact(typed):
    person = ContactFactory(name="Els", phone="+31546123456")
    assert caller_search(typed).contacts == [person]


def test_part_of_a_number_finds_the_contact(jan):
    assert caller_search("12345678").contacts == [jan]
    assert caller_search("0612 34").contacts == [jan]


def test_kvk_number_finds_the_organisation_and_its_contacts(almelo, jan):
    results = caller_search("12345678")
    assert results.organisations == [almelo]
    assert jan in results.contacts


def test_organisation_number_finds_the_organisation(almelo):
    assert caller_search("0546 541111").organisations == [almelo]


def test_name_finds_contacts_and_organisations_ignoring_case(almelo, jan):
    assert caller_search("jansen").contacts == [jan]
    assert caller_search("ALMELO").organisations == [almelo]


def test_email_finds_the_contact_and_the_organisation_by_its_domain(almelo, jan):
    results = caller_search("j.jansen@almelo.nl")
    assert results.contacts == [jan]
    assert results.organisations == [almelo]


def test_results_carry_the_current_pso_status_of_the_organisation(jan):
    found = caller_search("jan").contacts[0]
    assert found.current_pso_level == PsoLevel.TREDE_3
    assert caller_search("almelo").organisations[0].current_pso_level == PsoLevel.TREDE_3


def test_a_name_is_never_read_as_a_phone_number():
    assert phone_query("Almelo") == (None, "")
    assert phone_query("06-12345678") == ("+31612345678", "612345678")


def test_one_letter_finds_nothing(jan):
    results = caller_search("j")
    assert not results.searched
    assert not results.found


def test_search_costs_the_same_number_of_queries_for_many_results(almelo):
    for i in range(3):
        ContactFactory(name=f"Almelo medewerker {i}", organisation=almelo, phone=f"+3161234500{i}")
    with CaptureQueriesContext(connection) as few:
        caller_search("almelo")
    for i in range(3, 9):
        ContactFactory(name=f"Almelo medewerker {i}", organisation=almelo, phone=f"+3161234500{i}")
    with CaptureQueriesContext(connection) as many:
        results = caller_search("almelo")
    assert len(results.contacts) == 9
    assert len(many) == len(few) <= 4
