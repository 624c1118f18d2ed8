"""The case list's pager counts no further than it needs to and survives any page number."""

from __future__ import annotations

import pytest

from cases.models import Case
from cases.paging import CappedPaginator
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    return [CaseFactory() for _ in range(12)]


def paginator(**kwargs):
    return CappedPaginator(Case.objects.order_by("pk"), 2, **kwargs)


def test_a_short_list_is_counted_exactly(cases):
    pager = paginator(cap=20)
    page = pager.get_page(1)
    assert (pager.count, pager.more, pager.num_pages) == (12, False, 6)
    assert [c.pk for c in page] == [c.pk for c in cases[:2]]


def test_a_long_list_says_more_than_the_cap_and_still_offers_the_next_page(cases):
    pager = paginator(cap=5)
    page = pager.get_page(1)
    assert (pager.count, pager.more) == (6, True), "the cap rounded up to whole pages"
    assert page.has_next()
    assert len(pager.get_page(pager.num_pages).object_list) == 2, "the last page counted is full"


def test_the_count_reaches_the_page_asked_for_and_the_one_after(cases):
    pager = paginator(cap=3)
    page = pager.get_page(4)
    assert page.number == 4 and page.has_next()
    assert [c.pk for c in page] == [c.pk for c in cases[6:8]]


@pytest.mark.parametrize("number", ["9" * 60, "-3", "x", None, "1e9"])
def test_any_page_number_gives_a_page(cases, number):
    page = paginator(cap=5).get_page(number)
    assert len(page.object_list) == 2


def test_rows_are_fetched_for_the_page_ids_in_the_list_order(cases):
    pager = CappedPaginator(
        Case.objects.order_by("-pk"),
        3,
        rows=lambda ids: Case.objects.filter(pk__in=ids).order_by("-pk"),
    )
    page = pager.get_page(2)
    assert [c.pk for c in page] == [c.pk for c in reversed(cases)][3:6]
