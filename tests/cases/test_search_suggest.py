"""The header search's drop-down: the best few results per group while someone types,
at a fixed cost, whatever is typed."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.views.search import SUGGEST_LIMIT
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

SUGGEST = reverse("search_suggest")


@pytest.fixture
def almelo():
    almelo = OrganisationFactory(name="Gemeente Almelo", kvk_number="08180538")
    jan = ContactFactory(
        name="Jan Jansen", email="jan@almelo.nl", organisation=almelo, phone="+31612345678"
    )
    return {"organisation": almelo, "contact": jan}


def suggest(client, query: str) -> str:
    response = client.get(SUGGEST, {"q": query}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def options(html: str, group: str) -> list[str]:
    """The option ids of one group ("case", "contact", "organisation") in page order."""
    return re.findall(rf'role="option" id="(suggest-{group}-\d+)"', html)


def test_results_come_grouped_with_the_number_announced(staff_client, almelo):
    case = CaseFactory(contact=almelo["contact"], subject="Herbeoordeling Trede 2")
    html = suggest(staff_client, "almelo")
    assert 'role="listbox"' in html
    assert options(html, "case") == ["suggest-case-1"]
    assert options(html, "contact") == ["suggest-contact-1"]
    assert options(html, "organisation") == ["suggest-organisation-1"]
    assert reverse("case_detail", args=[case.reference]) in html
    assert reverse("organisation_detail", args=[almelo["organisation"].pk]) in html
    # The live region outside the drop-down is told the real number: 1 + 1 + 1.
    status = re.search(r'id="search-suggest-status" hx-swap-oob="innerHTML">(.*?)</span>', html)
    assert status and status.group(1) == "3 results"
    assert f"{reverse('search')}?q=almelo" in html  # and the way to all of them


def test_a_phone_number_in_another_notation_suggests_the_contacts_cases(staff_client, almelo):
    case = CaseFactory(contact=almelo["contact"], subject="Terugbelverzoek")
    html = suggest(staff_client, "06-1234 5678")
    assert reverse("case_detail", args=[case.reference]) in html
    assert f"{reverse('call_log')}?contact={almelo['contact'].pk}" in html


def test_each_group_is_capped_and_the_cost_does_not_grow(staff_client, almelo):
    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            html = suggest(staff_client, "almelo")
        return len(queries), html

    CaseFactory(contact=almelo["contact"], subject="Almelo vraag")
    suggest(staff_client, "almelo")  # per-process caches
    few, _html = count()
    for i in range(SUGGEST_LIMIT + 3):
        other = ContactFactory(name=f"Almelo medewerker {i}", organisation=almelo["organisation"])
        OrganisationFactory(name=f"Almelo afdeling {i}")
        CaseFactory(contact=other, subject=f"Almelo vraag {i}")
    many, html = count()
    assert many == few
    assert len(options(html, "case")) == SUGGEST_LIMIT
    assert len(options(html, "contact")) == SUGGEST_LIMIT
    assert len(options(html, "organisation")) == SUGGEST_LIMIT
    assert f"{SUGGEST_LIMIT * 3} results" in html


def test_too_short_a_query_shows_no_drop_down_and_announces_nothing(staff_client, almelo):
    html = suggest(staff_client, "a")
    assert 'role="listbox"' not in html
    assert '<span id="search-suggest-status" hx-swap-oob="innerHTML"></span>' in html


def test_nothing_found_says_so(staff_client, almelo):
    html = suggest(staff_client, "zzzyyx")
    assert options(html, "case") == options(html, "contact") == []
    assert "0 results" in html


@pytest.mark.parametrize(
    "query", ["a" * 10_000, "06 1234 5678" + "9" * 10_000, '"<script>', "%", "AND OR NOT *"]
)
def test_hostile_input_answers_at_the_usual_cost(staff_client, almelo, query):
    CaseFactory(contact=almelo["contact"], subject="Almelo vraag")
    suggest(staff_client, "almelo")
    with CaptureQueriesContext(connection) as usual:
        suggest(staff_client, "almelo")
    with CaptureQueriesContext(connection) as hostile:
        html = suggest(staff_client, query)
    assert len(hostile) <= len(usual)
    assert "<script>" not in html


@pytest.mark.parametrize("query", ["alm\x00elo", "\x00" * 50])
def test_a_nul_byte_is_refused_before_any_query(staff_client, query):
    staff_client.raise_request_exception = False
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(SUGGEST, {"q": query}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert not [q for q in queries if "cases_" in q["sql"]]


def test_the_endpoint_needs_a_signed_in_staff_member(client):
    response = client.get(SUGGEST, {"q": "almelo"})
    assert response.status_code in (302, 403)


def test_the_header_box_asks_for_the_drop_down_as_a_combobox(staff_client):
    html = staff_client.get(reverse("dashboard")).content.decode()
    box = re.search(r'<input type="search" id="header-q"[^>]*>', html).group(0)
    assert 'role="combobox"' in box and 'aria-controls="search-suggest"' in box
    assert f'hx-get="{SUGGEST}"' in box and "delay:" in box  # debounced
    assert 'id="search-suggest-status"' in html and 'role="status"' in html
