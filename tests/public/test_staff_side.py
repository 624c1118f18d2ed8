"""The staff side of the web channel: marked in the queue, the case list and the report;
the managers' settings of the public pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from calendars import configured as calendars
from public.models import PublicPages
from public.services import Visitor, callback_book
from scheduling.callbacks.booking import callback_schedule
from scheduling.reports.figures import ReportFilters, SlaReport
from scheduling.reports.period import Period
from scheduling.reports.tables import callbacks_table
from tests.factories import CallerCaseFactory
from tests.timehelpers import AMS, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "thursday_afternoon")]


@pytest.fixture
def web_callback():
    return callback_book(
        visitor=Visitor(name="Anouk Bakker", number="+31546541234"),
        slot=None,
        now=local(2026, 11, 26, 13, 0),
    )


def test_a_web_callback_is_marked_in_the_morning_queue(staff_client, web_callback, time_machine):
    phone_case = CallerCaseFactory()
    callback_schedule(case=phone_case, number="+31546000001", actor=None)
    time_machine.move_to(local(2026, 11, 30, 8, 0), tick=False)

    page = staff_client.get(reverse("callback_queue")).content.decode()

    assert web_callback.case.reference in page and phone_case.reference in page
    assert page.count("Booked on the website") == 1
    row = page.split(f'id="callback-{web_callback.pk}"')[1].split("</tbody>")[0]
    assert "Booked on the website" in row


def test_a_web_case_is_marked_in_the_case_list(staff_client, web_callback):
    CallerCaseFactory()

    page = staff_client.get(reverse("case_list")).content.decode()

    assert page.count("From the website") == 1


def test_the_report_counts_callbacks_booked_on_the_website(web_callback):
    callback_schedule(case=CallerCaseFactory(), number="+31546000001", actor=None)
    report = SlaReport(
        period=Period(dt.date(2026, 11, 30), dt.date(2026, 12, 6)),
        filters=ReportFilters(),
        now=local(2026, 12, 7, 9, 0),
        tz=AMS,
        office_calendar=calendars.office_hours(),
    )

    table = callbacks_table(report)

    row = dict(zip(table.columns, table.rows[0], strict=True))
    assert row["Scheduled"] == 2
    assert row["Booked on the website"] == 1


def test_managers_switch_a_page_off_and_set_its_text_and_days(manager_client, client):
    response = manager_client.post(
        reverse("public_pages_settings"),
        {
            "question_open": "",
            "question_intro": "",
            "callback_open": "on",
            "callback_intro": "Wij bellen u terug op een tijd die u kiest.",
            "phone_days_ahead": "2",
        },
    )

    assert response.status_code == 302
    pages = PublicPages.objects.get()
    assert not pages.question_open and pages.phone_days_ahead == 2
    assert client.get(reverse("public:ask")).status_code == 404
    callback_page = client.get(reverse("public:callback")).content.decode()
    assert "Wij bellen u terug op een tijd die u kiest." in callback_page
    assert "Tuesday 1 December" in callback_page
    assert "Wednesday 2 December" not in callback_page


def test_the_text_above_the_form_is_shown_as_text_not_html(manager_client, client):
    PublicPages.objects.create(callback_intro='<script src="//evil"></script>Bel ons')

    page = client.get(reverse("public:callback")).content.decode()

    assert "&lt;script" in page and '<script src="//evil">' not in page


def test_staff_cannot_change_the_public_pages(staff_client):
    assert staff_client.get(reverse("public_pages_settings")).status_code == 403


@pytest.mark.parametrize("days", ["0", "31", "x"])
def test_days_ahead_outside_1_to_30_is_refused(manager_client, days):
    response = manager_client.post(
        reverse("public_pages_settings"),
        {"question_open": "on", "callback_open": "on", "phone_days_ahead": days},
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not PublicPages.objects.exists()
