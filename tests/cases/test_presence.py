"""Who else is on a case: viewing, or writing a reply, seen by colleagues within seconds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CasePresence
from cases.selectors_workspace import PRESENCE_WINDOW
from tests.factories import CaseFactory, StaffUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


def report(client, case, writing=""):
    return client.post(reverse("case_presence", args=[case.reference]), {"writing": writing})


def test_a_colleague_on_the_case_is_named_viewing_then_writing(client, staff_user):
    case = CaseFactory(actor=staff_user)
    marco = StaffUserFactory(username="marco2", first_name="Marco", last_name="Jansen")
    client.force_login(staff_user)
    assert "is viewing" not in report(client, case).content.decode()  # alone on the case

    client.force_login(marco)
    assert "Sanne de Vries is viewing this case" in report(client, case).content.decode()
    client.force_login(staff_user)
    report(client, case, writing="1")
    client.force_login(marco)
    assert "Sanne de Vries is writing a reply" in report(client, case).content.decode()


def test_someone_who_left_is_no_longer_shown(client, staff_user):
    case = CaseFactory(actor=staff_user)
    CasePresence.objects.create(
        case=case, user=staff_user, seen_at=timezone.now() - PRESENCE_WINDOW - dt.timedelta(1)
    )
    client.force_login(StaffUserFactory())
    assert "Sanne" not in report(client, case).content.decode()


def test_a_report_costs_the_same_few_queries_however_many_are_present(client, staff_user):
    case = CaseFactory(actor=staff_user)
    client.force_login(staff_user)
    report(client, case)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report(client, case)
        return len(queries)

    alone = count()
    for i in range(5):
        CasePresence.objects.create(
            case=case, user=StaffUserFactory(username=f"collega{i}"), seen_at=timezone.now()
        )
    assert count() == alone


def test_presence_is_reported_by_post_only(staff_client, staff_user):
    case = CaseFactory(actor=staff_user)
    assert staff_client.get(reverse("case_presence", args=[case.reference])).status_code == 405
