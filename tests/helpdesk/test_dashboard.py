"""The dashboard: my open cases, unassigned and urgent cases, each linking to the case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.models import Priority, PsoLevel, Status
from tests.factories import CaseFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

DASHBOARD = reverse("dashboard")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["staff_client", "manager_client"])
def test_dashboard_opens_for_staff_and_managers(request, who):
    response = request.getfixturevalue(who).get(DASHBOARD)
    assert response.status_code == 200
    assert reverse("call_log").encode() in response.content


def test_lists_link_to_each_case_and_show_the_pso_status(staff_client, staff_user, manager_user):
    org = OrganisationFactory(name="Gemeente Almelo", pso=PsoLevel.TREDE_3)
    mine = CaseFactory(subject="Mijn zaak", assignee=staff_user, organisation=org)
    nobodys = CaseFactory(subject="Niemands zaak")
    urgent = CaseFactory(subject="Spoed", priority=Priority.URGENT, assignee=manager_user)
    done = CaseFactory(subject="Klaar", assignee=staff_user)
    services.case_update(case=done, actor=staff_user, status=Status.CLOSED)

    response = staff_client.get(DASHBOARD)
    assert [c.reference for c in response.context["my_cases"]] == [mine.reference]
    assert nobodys in response.context["unassigned_cases"]
    assert [c.reference for c in response.context["urgent_cases"]] == [urgent.reference]
    body = response.content.decode()
    for case in (mine, nobodys, urgent):
        assert f'href="{reverse("case_detail", args=[case.reference])}"' in body
    assert done.reference not in body
    assert "pso-trede_3" in body


def test_links_to_the_full_filtered_lists(staff_client):
    body = staff_client.get(DASHBOARD).content.decode()
    assert "?assignee=me&amp;status=active" in body
    assert "?assignee=unassigned&amp;status=active" in body
    assert "?priority=urgent&amp;status=active" in body
