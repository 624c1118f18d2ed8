"""The header search finds a case by anything people know of it, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.intake.outbound import mail_send
from cases.search.fulltext import fts5_query
from cases.search.site import site_search
from tests.factories import (
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    NoteFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


@pytest.fixture
def almelo(staff_user):
    almelo = OrganisationFactory(name="Gemeente Almelo", kvk_number="08180538")
    jan = ContactFactory(
        name="Jan Jansen", email="jan@almelo.nl", organisation=almelo, phone="+31612345678"
    )
    return {"organisation": almelo, "contact": jan}


def found(query: str) -> list[str]:
    return [case.reference for case in site_search(query).cases]


def test_a_phone_number_in_another_notation_finds_every_case_of_the_contact(almelo):
    cases = [CaseFactory(contact=almelo["contact"]) for _ in range(6)]
    CaseFactory(subject="Iemand anders")
    for notation in ["0612345678", "06-12345678", "+31 6 1234 5678", "0031612345678"]:
        assert sorted(found(notation)) == sorted(c.reference for c in cases), notation


def test_a_kvk_number_finds_the_organisation_and_its_cases(almelo):
    case = CaseFactory(organisation=almelo["organisation"])
    results = site_search("0818 0538")
    assert [o.name for o in results.organisations] == ["Gemeente Almelo"]
    assert case.reference in [c.reference for c in results.cases]


def test_a_word_from_a_mail_body_finds_its_case(almelo):
    case = CaseFactory(subject="Vraag")
    message = InboundMessageFactory(
        subject="Over de audit", text_body="Wij willen graag een herbeoordeling aanvragen."
    )
    message.case = case
    message.save(update_fields=["case"])
    CaseFactory(subject="Iets anders")
    assert found("herbeoordeling") == [case.reference]


def test_notes_sent_mail_subjects_and_descriptions_are_searched(staff_user):
    noted = CaseFactory(subject="Eerste")
    NoteFactory(case=noted, author=staff_user, body="Ketenstimulering besproken met de inkoper")
    answered = CaseFactory(subject="Tweede")
    mail_send(
        case=answered, to="a@b.nl", subject="Re", body_text="Over social return", automatic=False
    )
    described = CaseFactory(subject="Derde", description="Uitleg over de zelfscan")
    assert found("ketenstimulering") == [noted.reference]
    assert found("social return") == [answered.reference]
    assert found("zelfscan") == [described.reference]


def test_a_changed_text_is_found_by_its_new_words_only():
    case = CaseFactory(subject="Oude titel")
    case.subject = "Nieuwe kop"
    case.save(update_fields=["subject"])
    assert found("kop") == [case.reference]
    assert found("titel") == []


def test_the_reference_comes_first(almelo, staff_user):
    other = CaseFactory(contact=almelo["contact"])
    named = CaseFactory(subject="Zie ook")
    NoteFactory(case=other, author=staff_user, body=f"Hoort bij {named.reference}")
    assert found(named.reference)[0] == named.reference


def test_a_name_or_email_address_finds_the_contact_and_their_cases(almelo):
    case = CaseFactory(contact=almelo["contact"])
    for query in ["Jan Jansen", "jan@almelo.nl"]:
        results = site_search(query)
        assert [c.name for c in results.contacts] == ["Jan Jansen"]
        assert case.reference in [c.reference for c in results.cases]


@pytest.mark.parametrize(
    "query", ['"', "AND OR NOT", "*", "NEAR(a b)", "a' OR 1=1 --", "(", "é", "x" * 500]
)
def test_hostile_or_odd_queries_answer_without_error(staff_client, query):
    CaseFactory(subject="Vraag over de audit")
    response = staff_client.get(reverse("search"), {"q": query})
    assert response.status_code == 200


def test_words_are_quoted_for_fts5_so_none_is_an_operator():
    assert fts5_query('audit OR "trede" NEAR') == '"audit" "OR" "trede" "NEAR"*'


def test_the_search_page_groups_results_and_says_how_many(staff_client, almelo):
    CaseFactory(contact=almelo["contact"], subject="Herbeoordeling Trede 2")
    html = staff_client.get(reverse("search"), {"q": "almelo"}).content.decode()
    assert 'id="found-cases"' in html and 'id="found-contacts"' in html
    assert 'id="found-organisations"' in html
    assert "3 results" in html  # one case, one contact, one organisation


def test_the_search_costs_the_same_queries_for_few_or_many_matches(
    staff_client, staff_user, almelo
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            staff_client.get(reverse("search"), {"q": "almelo"})
        return len(queries)

    CaseFactory(contact=almelo["contact"], subject="Almelo vraag")
    staff_client.get(reverse("search"), {"q": "almelo"})
    few = count()
    for i in range(15):
        case = CaseFactory(contact=almelo["contact"], subject=f"Almelo vraag {i}")
        NoteFactory(case=case, author=staff_user, body="Almelo belde")
        services.case_update(case=case, actor=staff_user, priority="urgent")
    assert count() == few


def test_every_page_has_the_search_box(staff_client):
    html = staff_client.get(reverse("dashboard")).content.decode()
    assert 'role="search"' in html and f'action="{reverse("search")}"' in html


def test_part_of_a_reference_finds_the_case_and_words_are_not_read_as_one():
    case = CaseFactory(subject="Vraag")
    number = case.reference.rsplit("-", 1)[1]
    assert found(case.reference.lower()) == [case.reference]
    assert case.reference in found(f"-{number}")
    assert case.reference in found(case.reference.split("-", 1)[1])  # "2026-000123"
    # No reference holds a space: a number written in groups is a phone number only.
    assert found(f"{number[:3]} {number[3:]}") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
def test_the_search_leaves_the_planner_settings_as_they_were():
    case = CaseFactory(subject="Vraag over de certificaten")
    assert found("certificaat") == [case.reference]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
