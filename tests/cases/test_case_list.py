"""The case list: filters, order, pages, bad filter values, and its query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, Priority, PsoLevel, Status
from tests.factories import CaseFactory, ContactFactory, OrganisationFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

LIST = reverse("case_list")


def _refs(response) -> list[str]:
    return [case.reference for case in response.context["cases"]]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_staff_and_managers_see_the_list_with_links_to_each_case(request, who):
    case = CaseFactory(subject="Vraag over social return")
    response = request.getfixturevalue(who).get(LIST)
    assert response.status_code == 200
    assert reverse("case_detail", args=[case.reference]).encode() in response.content


def test_list_is_read_only(staff_client):
    assert staff_client.post(LIST).status_code == 405


def test_filter_by_status_priority_channel_and_category(staff_client, staff_user):
    wanted = CaseFactory(priority=Priority.URGENT, category=category("sroi"))
    CaseFactory(priority=Priority.URGENT)
    CaseFactory(category=category("sroi"))
    emailed = CaseFactory(channel="email", category=category("sroi"))
    services.case_update(case=emailed, actor=staff_user, priority=Priority.URGENT)
    closed = CaseFactory(priority=Priority.URGENT, category=category("sroi"))
    services.case_update(case=closed, actor=staff_user, status=Status.CLOSED)

    response = staff_client.get(
        LIST,
        {
            "status": "active",
            "priority": "urgent",
            "channel": "phone",
            "category": category("sroi").pk,
        },
    )
    assert _refs(response) == [wanted.reference]
    assert _refs(staff_client.get(LIST, {"status": "closed"})) == [closed.reference]


def test_filter_by_assignee_me_unassigned_and_a_colleague(staff_client, staff_user, manager_user):
    mine = CaseFactory(assignee=staff_user)
    theirs = CaseFactory(assignee=manager_user)
    nobodys = CaseFactory()
    assert _refs(staff_client.get(LIST, {"assignee": "me"})) == [mine.reference]
    assert _refs(staff_client.get(LIST, {"assignee": "unassigned"})) == [nobodys.reference]
    assert _refs(staff_client.get(LIST, {"assignee": manager_user.pk})) == [theirs.reference]


def test_filter_by_organisation_and_pso_level_at_opening_and_now(staff_client):
    long_ago = timezone.localdate() - dt.timedelta(days=300)
    riser = OrganisationFactory(
        name="Riser BV", pso=PsoLevel.ASPIRANT, pso__effective_from=long_ago
    )
    opened_as_aspirant = CaseFactory(organisation=riser)
    services.pso_status_record(
        organisation=riser, level=PsoLevel.TREDE_1, effective_from=timezone.localdate()
    )
    steady = OrganisationFactory(
        name="Steady BV", pso=PsoLevel.ASPIRANT, pso__effective_from=long_ago
    )
    steady_case = CaseFactory(organisation=steady)
    unassessed = CaseFactory(organisation=OrganisationFactory(name="Nieuw BV"))

    at_open = _refs(staff_client.get(LIST, {"pso_at_open": "aspirant", "sort": "created"}))
    assert at_open == [opened_as_aspirant.reference, steady_case.reference]
    assert _refs(staff_client.get(LIST, {"pso_at_open": "aspirant", "pso_now": "trede_1"})) == [
        opened_as_aspirant.reference
    ]
    assert _refs(staff_client.get(LIST, {"pso_now": "none"})) == [unassessed.reference]
    response = staff_client.get(LIST, {"organisation": steady.pk})
    assert _refs(response) == [steady_case.reference]
    assert b"Steady BV" in response.content


def test_free_text_searches_reference_subject_description_organisation_and_contact(staff_client):
    almelo = OrganisationFactory(name="Gemeente Almelo")
    by_org = CaseFactory(subject="Vraag", organisation=almelo)
    by_subject = CaseFactory(subject="Ketenstimulering bij inkoop")
    by_description = CaseFactory(subject="Vraag", description="Het gaat om de SROI-clausule")
    by_contact = CaseFactory(subject="Vraag", contact=ContactFactory(name="Petra Bakker"))
    CaseFactory(subject="Iets anders")

    def found(text):
        return _refs(staff_client.get(LIST, {"q": text}))

    assert found("almelo") == [by_org.reference]
    assert found("ketenstim") == [by_subject.reference]
    assert found("sroi-clausule") == [by_description.reference]
    assert found("bakker") == [by_contact.reference]
    assert found(by_org.reference) == [by_org.reference]


def test_sorted_by_created_or_priority(staff_client):
    first = CaseFactory(created_at=timezone.now() - dt.timedelta(hours=2))
    urgent = CaseFactory(
        priority=Priority.URGENT, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    last = CaseFactory()
    assert _refs(staff_client.get(LIST)) == [last.reference, urgent.reference, first.reference]
    assert _refs(staff_client.get(LIST, {"sort": "created"})) == [
        first.reference,
        urgent.reference,
        last.reference,
    ]
    assert _refs(staff_client.get(LIST, {"sort": "-priority"}))[0] == urgent.reference


def test_bad_filter_values_give_a_message_not_an_error(staff_client):
    CaseFactory()
    response = staff_client.get(
        LIST,
        {
            "status": "bogus",
            "assignee": "999999",
            "category": "x",
            "organisation": "7a",
            "page": "z",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Some filters were not understood" in body
    assert set(response.context["form"].errors) == {
        "status",
        "assignee",
        "category",
        "organisation",
    }
    assert len(response.context["cases"]) == 1  # the bad filters were left out


def test_bad_value_drops_only_its_own_filter(staff_client):
    urgent = CaseFactory(priority=Priority.URGENT)
    CaseFactory()
    response = staff_client.get(LIST, {"status": "bogus", "priority": "urgent"})
    assert _refs(response) == [urgent.reference]


def test_fifty_cases_a_page_with_the_filters_kept_in_the_page_links(staff_client):
    for _ in range(51):
        CaseFactory(priority=Priority.URGENT)
    CaseFactory()
    response = staff_client.get(LIST, {"priority": "urgent", "q": "Trede"})
    assert len(response.context["cases"]) == 50
    body = response.content.decode()
    assert "?priority=urgent&amp;q=Trede&amp;page=2" in body
    second = staff_client.get(LIST, {"priority": "urgent", "q": "Trede", "page": 2})
    assert len(second.context["cases"]) == 1


def test_query_count_does_not_grow_with_the_page(staff_client, staff_user, calendars_read_once):
    org = OrganisationFactory(pso=PsoLevel.TREDE_2)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(LIST, {"status": "active"})
        assert response.status_code == 200
        return len(queries)

    CaseFactory(organisation=org, contact=ContactFactory(), assignee=staff_user)
    few = count()
    for _ in range(30):
        CaseFactory(
            organisation=OrganisationFactory(pso=PsoLevel.TREDE_1),
            contact=ContactFactory(),
            assignee=staff_user,
            category=category("sroi"),
        )
    assert count() == few
    assert Case.objects.count() == 31
