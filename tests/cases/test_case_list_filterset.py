"""The case list's FilterSet: what test_case_list.py leaves out (orders, odd values)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.filters import SORTS
from cases.models import PsoLevel
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

LIST = reverse("case_list")


def _refs(response) -> list[str]:
    return [case.reference for case in response.context["cases"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "sideways"}, "Order"),
        ({"q": "x" * 201}, "Search"),
        ({"channel": "fax"}, "Channel"),
        ({"pso_now": "trede_9"}, "PSO level now"),
    ],
)
def test_a_value_not_understood_is_named_and_left_out(staff_client, params, field):
    older = CaseFactory(created_at=timezone.now() - dt.timedelta(hours=1))
    newer = CaseFactory()
    response = staff_client.get(LIST, params)
    assert response.status_code == 200
    assert f"Some filters were not understood and were left out: {field}." in (
        response.content.decode()
    )
    assert _refs(response) == [newer.reference, older.reference]
    assert response.context["current_sort"] == "-created"


def test_without_filters_the_form_is_unbound_and_shows_the_default_order(staff_client):
    response = staff_client.get(LIST)
    assert not response.context["form"].is_bound
    assert response.context["current_sort"] == "-created"
    assert '<option value="-created" selected>' in response.content.decode()


def test_every_order_offered_is_understood(staff_client):
    CaseFactory()
    for sort in SORTS:
        response = staff_client.get(LIST, {"sort": sort})
        assert not response.context["form"].errors
        assert response.context["current_sort"] == sort


def test_pso_level_now_none_includes_cases_without_an_organisation(staff_client):
    loose = CaseFactory()
    unassessed = CaseFactory(organisation=OrganisationFactory(name="Nieuw BV"))
    CaseFactory(organisation=OrganisationFactory(name="Trede BV", pso=PsoLevel.TREDE_1))
    found = _refs(staff_client.get(LIST, {"pso_now": "none", "sort": "created"}))
    assert found == [loose.reference, unassessed.reference]


def test_search_reads_runs_of_spaces_as_one(staff_client):
    wanted = CaseFactory(subject="Vraag over de trede")
    CaseFactory(subject="Iets anders")
    assert _refs(staff_client.get(LIST, {"q": "  vraag    over "})) == [wanted.reference]
