"""The case list's free text picks each look-up's first rows before the union:
its pages and its capped count must be those of the whole match."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Priority
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

LIST = reverse("case_list")


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("cases.views.cases.CASES_PER_PAGE", 4)
    monkeypatch.setattr("cases.views.cases.TEXT_COUNT_CAP", 8)


def _matching_mix() -> list[Case]:
    """Cases matching "jansen" by their own text, their contact and their organisation,
    interleaved in time, and as many that do not match."""
    start = timezone.now() - dt.timedelta(days=30)
    org = OrganisationFactory(name="Bouw Jansen BV")
    contact = ContactFactory(name="Els Jansen")
    matching = []
    for i in range(18):
        way = i % 3
        case = CaseFactory(
            subject="Vraag van Jansen" if way == 0 else "Vraag",
            contact=contact if way == 1 else None,
            organisation=org if way == 2 else None,
            priority=Priority.URGENT if i % 2 else Priority.NORMAL,
        )
        Case.objects.filter(pk=case.pk).update(created_at=start + dt.timedelta(hours=i))
        matching.append(case)
        other = CaseFactory(subject="Iets anders")
        Case.objects.filter(pk=other.pk).update(created_at=start + dt.timedelta(hours=i, minutes=1))
    for case in matching:
        case.refresh_from_db()
    return matching


def test_every_page_of_a_free_text_search_is_that_of_the_whole_match(staff_client, small_pages):
    matching = _matching_mix()
    newest_first = [c.reference for c in sorted(matching, key=lambda c: c.created_at, reverse=True)]

    shown = []
    for page in range(1, 6):
        response = staff_client.get(LIST, {"q": "jansen", "page": page})
        shown += [case.reference for case in response.context["cases"]]

    assert shown == newest_first


def test_a_filter_and_another_order_apply_before_the_free_text_picks(staff_client, small_pages):
    matching = _matching_mix()
    urgent_oldest = [
        c.reference
        for c in sorted(matching, key=lambda c: c.created_at)
        if c.priority == Priority.URGENT
    ]

    shown = []
    for page in range(1, 4):
        params = {"q": "jansen", "priority": "urgent", "sort": "created", "page": page}
        shown += [c.reference for c in staff_client.get(LIST, params).context["cases"]]

    assert shown == urgent_oldest


def test_the_count_of_a_free_text_search_stops_at_its_cap(staff_client, small_pages):
    _matching_mix()

    many = staff_client.get(LIST, {"q": "jansen"}).content.decode()
    few = staff_client.get(LIST, {"q": "jansen", "priority": "urgent", "sort": "created"})

    assert "More than 8 cases" in many
    assert few.context["page"].paginator.more is True  # 9 urgent matches, cap 8
    exact = staff_client.get(LIST, {"q": "vraag van jansen"}).content.decode()
    assert "6 cases" in exact and "More than" not in exact
