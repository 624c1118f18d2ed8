"""The SLA report: figures worked out by hand on a small week of cases.

The week is Monday 16 – Sunday 22 November 2026; the report is made on
Monday 23 November at 12:00 (Amsterdam). Office hours are the defaults,
Monday–Friday 09:00–17:00.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calendars import configured as calendars
from cases.models import CallDirection, PhoneCall, PsoLevel, Status
from scheduling.models.callbacks import Callback
from scheduling.reports.figures import ReportFilters, SlaReport
from scheduling.reports.period import Period
from tests.factories import CaseRowFactory
from tests.timehelpers import AMS, local

WEEK = Period(dt.date(2026, 11, 16), dt.date(2026, 11, 22))
NOW = local(2026, 11, 23, 12, 0)
H = dt.timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return local(2026, 11, day, hour, minute)


@pytest.fixture
def week_of_cases(db):
    """Eight cases in the week and one after it; see each comment for its outcome."""
    # Urgent mail answered an hour before its target: on time.
    CaseRowFactory(
        reference="E1",
        channel="email",
        priority="urgent",
        created_at=at(17, 10, 15),
        due_at=at(18, 10, 15),
        first_response_at=at(18, 9, 15),
        response_time=7 * H,
        late_by=dt.timedelta(0),
        pso_level_at_open=PsoLevel.TREDE_3,
        status=Status.RESOLVED,
        resolved_at=at(19, 12),
    )
    # Urgent mail answered Thursday 10:00, due Wednesday 16:00: two working hours late.
    CaseRowFactory(
        reference="E2",
        channel="email",
        priority="urgent",
        created_at=at(17, 16),
        due_at=at(18, 16),
        first_response_at=at(19, 10),
        response_time=10 * H,
        late_by=2 * H,
        pso_level_at_open=PsoLevel.ASPIRANT,
    )
    # Urgent mail that waited three office hours on the customer: due moved, on time.
    CaseRowFactory(
        reference="E3",
        channel="email",
        priority="urgent",
        created_at=at(18, 11),
        due_at=at(19, 14),
        first_response_at=at(19, 13),
        response_time=7 * H,
        late_by=dt.timedelta(0),
        sla_paused_total=3 * H,
    )
    # Urgent mail still unanswered, due Monday 10:00: breached by two working hours.
    CaseRowFactory(
        reference="E4", channel="email", priority="urgent", created_at=at(20, 10), due_at=at(23, 10)
    )
    # Urgent mail of Sunday evening, due Monday 17:00: still pending at noon.
    CaseRowFactory(
        reference="E5", channel="email", priority="urgent", created_at=at(22, 20), due_at=at(23, 17)
    )
    # Normal mail answered in two hours, resolved on Tuesday and reopened on Wednesday:
    # its first-response figures stand.
    CaseRowFactory(
        reference="N1",
        channel="email",
        priority="normal",
        created_at=at(16, 9, 30),
        due_at=at(19, 9, 30),
        first_response_at=at(16, 11, 30),
        response_time=2 * H,
        late_by=dt.timedelta(0),
    )
    # A call answered at once and resolved within the hour.
    CaseRowFactory(
        reference="P1",
        channel="phone",
        priority="normal",
        created_at=at(16, 9),
        due_at=at(17, 9),
        first_response_at=at(16, 9),
        response_time=dt.timedelta(0),
        late_by=dt.timedelta(0),
        status=Status.RESOLVED,
        resolved_at=at(16, 10),
    )
    # A call on Thursday afternoon, outside phone hours, not yet called back.
    p2 = CaseRowFactory(
        reference="P2",
        channel="phone",
        priority="normal",
        created_at=at(19, 14, 10),
        due_at=at(20, 10),
    )
    PhoneCall.objects.create(
        case=p2,
        direction=CallDirection.INBOUND,
        number="+31546123456",
        started_at=at(19, 14, 10),
        inside_phone_hours=False,
    )

    # Callbacks for P2, each promised a 15-minute slot in the week.
    def callback(promised: dt.datetime, state: str, attempts: int, completed: dt.datetime | None):
        return Callback.objects.create(
            case=p2,
            number="+31546123456",
            slot_start=promised,
            slot_minutes=15,
            promised_slot_start=promised,
            promised_slot_end=promised + dt.timedelta(minutes=15),
            state=state,
            attempts=attempts,
            completed_at=completed,
            created_at=at(16, 8),
        )

    callback(at(16, 8, 30), "done", 0, at(16, 8, 40))  # reached in its slot, first try
    callback(at(17, 9), "done", 1, at(17, 11))  # reached the same phone day, second try
    callback(at(18, 8, 30), "done", 2, at(19, 9))  # reached a day later, third try
    callback(at(18, 8, 45), "no_answer", 3, at(19, 10))  # given up after three attempts
    callback(at(19, 12, 15), "scheduled", 0, None)  # still to be made
    callback(at(19, 12), "done", 1, at(24, 9))  # reached after the week ended: later
    # After the week: not in the report.
    CaseRowFactory(
        reference="X1", channel="email", priority="urgent", created_at=at(23, 9), due_at=at(24, 9)
    )


def week_report(**filters: object) -> SlaReport:
    return SlaReport(
        period=WEEK,
        filters=ReportFilters(**filters),
        now=NOW,
        tz=AMS,
        office_calendar=calendars.office_hours(),
    )


def test_enquiries_are_counted_per_day_and_channel(week_of_cases):
    days = {row.day: row for row in week_report().enquiries_by_day()}
    assert len(days) == 7
    assert days[dt.date(2026, 11, 16)].counts == {"phone": 1, "email": 1, "web": 0}
    assert days[dt.date(2026, 11, 17)].counts == {"phone": 0, "email": 2, "web": 0}
    assert days[dt.date(2026, 11, 22)].total == 1
    assert week_report().enquiries_by_channel() == {"phone": 2, "email": 6, "web": 0}


def test_urgent_email_on_time_share_leaves_out_pending_mail(week_of_cases):
    summary = week_report().urgent_email_summary()
    assert (summary.total, summary.on_time, summary.late, summary.breached, summary.pending) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert summary.on_time_share == 50.0


def test_every_urgent_breach_is_listed_with_its_working_time_lateness(week_of_cases):
    breaches = week_report().urgent_email_breaches()
    assert [(b.reference, b.answered, b.late_by, b.paused) for b in breaches] == [
        ("E2", True, 2 * H, False),
        ("E4", False, 2 * H, False),
    ]


def test_paused_case_is_on_time_and_marked_paused_nowhere_in_breaches(week_of_cases):
    assert "E3" not in [b.reference for b in week_report().urgent_email_breaches()]


def test_response_time_median_and_90th_percentile_per_channel_and_priority(week_of_cases):
    rows = {(r.channel, r.priority): r for r in week_report().response_times()}
    urgent = rows[("email", "urgent")]
    assert (urgent.answered, urgent.median, urgent.p90) == (3, 7 * H, 10 * H)
    assert (rows[("email", "normal")].median, rows[("email", "normal")].p90) == (2 * H, 2 * H)
    assert rows[("phone", "normal")].median == dt.timedelta(0)
    assert rows[("web", "urgent")].answered == 0 and rows[("web", "urgent")].median is None


def test_percentiles_are_nearest_rank_over_ten_answers(db):
    # Ten web mails answered in 1..10 hours: the median is the 5th, the 90th percentile the 9th.
    for i in range(1, 11):
        CaseRowFactory(
            reference=f"W{i}",
            channel="web",
            priority="normal",
            created_at=at(16, 9),
            due_at=at(19, 9),
            first_response_at=at(16, 9) + i * H,
            response_time=i * H,
            late_by=dt.timedelta(0),
        )
    rows = {(r.channel, r.priority): r for r in week_report().response_times()}
    web = rows[("web", "normal")]
    assert (web.answered, web.median, web.p90) == (10, 5 * H, 9 * H)


def test_callbacks_are_measured_against_the_slot_first_promised(week_of_cases):
    summary = week_report().callbacks()
    assert (summary.scheduled, summary.in_slot, summary.in_window, summary.later) == (6, 1, 1, 2)
    assert summary.reached_first_attempt == 1
    assert summary.average_attempts == 2.0  # (1 + 2 + 3 + 2) calls for the four reached
    assert summary.still_open == 1


def test_calls_outside_phone_hours_land_in_their_weekday_and_hour(week_of_cases):
    heat = week_report().out_of_hours_calls()
    assert heat.cells == {(4, 14): 1}


def test_backlog_counts_open_cases_at_the_end_of_each_working_day(week_of_cases):
    assert week_report().backlog() == [
        (dt.date(2026, 11, 16), 1),
        (dt.date(2026, 11, 17), 3),
        (dt.date(2026, 11, 18), 4),
        (dt.date(2026, 11, 19), 4),
        (dt.date(2026, 11, 20), 5),
    ]


def test_enquiries_and_on_time_share_by_pso_level_when_asked(week_of_cases):
    rows = {row.label: row for row in week_report().by_pso_level()}
    assert (rows["trede_3"].total, rows["trede_3"].on_time_share) == (1, 100.0)
    assert (rows["aspirant"].total, rows["aspirant"].on_time_share) == (1, 0.0)
    none = rows["none"]
    assert (none.total, none.on_time, none.breached, none.pending) == (6, 3, 2, 1)
    assert none.on_time_share == 60.0
    assert rows["trede_1"].total == 0 and rows["trede_1"].on_time_share is None


def test_filters_narrow_every_figure(week_of_cases):
    phone = week_report(channel="phone")
    assert phone.enquiries_by_channel() == {"phone": 2, "email": 0, "web": 0}
    assert phone.urgent_email_summary().total == 0
    assert week_report(pso_level="trede_3").overall().total == 1


def test_case_rows_carry_the_sla_outcome(week_of_cases):
    outcomes = {row[0]: row[-1] for row in week_report().case_rows()}
    assert outcomes == {
        "E1": "on_time",
        "E2": "late",
        "E3": "on_time",
        "E4": "breached",
        "E5": "pending",
        "N1": "on_time",
        "P1": "on_time",
        "P2": "breached",
    }


# --- The pages -------------------------------------------------------------------------

REPORT_QUERY = {"period": "week", "date": "2026-11-18"}


@pytest.fixture
def noon_monday():
    with time_machine.travel(NOW, tick=False):
        yield


def test_report_is_for_managers_only(staff_client, db):
    url = reverse("report")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    assert staff_client.get(url).status_code == 403
    assert staff_client.get(reverse("report_cases_csv")).status_code == 403
    assert staff_client.get(reverse("report_table_csv", args=["backlog"])).status_code == 403


def test_report_page_shows_the_figures(manager_client, week_of_cases, noon_monday):
    response = manager_client.get(reverse("report"), REPORT_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert reverse("case_detail", args=["E4"]) in html
    assert "50,0 %" in html or "50.0 %" in html


def test_default_report_is_the_last_complete_week(manager_client, db, noon_monday):
    response = manager_client.get(reverse("report"))
    assert response.status_code == 200
    assert response.context["period"] == WEEK


def test_report_on_an_empty_period_shows_zeros(manager_client, db, noon_monday):
    response = manager_client.get(reverse("report"), {"period": "month", "date": "2020-02-10"})
    assert response.status_code == 200
    assert response.context["report"].overall().total == 0
    assert response.context["tables"]["urgent-email"].rows == [[0, 0, 0, 0, 0, None]]


def test_bad_period_gets_a_message_not_an_error(manager_client, db):
    response = manager_client.get(
        reverse("report"), {"period": "custom", "start": "2026-11-20", "end": "2026-11-01"}
    )
    assert response.status_code == 400
    assert "report" not in response.context or response.context.get("report") is None
    response = manager_client.get(reverse("report"), {"period": "week", "date": "not-a-date"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"period": "week", "date": "9999-12-31"},
        {"period": "week", "date": "0001-01-01"},
        {"period": "quarter", "date": "9999-12-31"},
        {"period": "month", "date": "0001-01-31"},
        {"period": "custom", "start": "0001-01-01", "end": "0001-01-31"},
    ],
)
def test_a_date_outside_the_calendars_years_is_refused_with_a_message(manager_client, query):
    response = manager_client.get(reverse("report"), query)
    assert response.status_code == 400
    assert "2015" in response.content.decode()
    csv = manager_client.get(reverse("report_table_csv", args=["enquiries"]), query)
    assert csv.status_code == 400


def read_csv(response, delimiter: str = ";") -> list[list[str]]:
    """The rows of an export; Dutch (the helpdesk's language) separates fields with ";"."""
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=delimiter))


def test_case_level_csv_has_one_row_per_case_of_the_period(
    manager_client, week_of_cases, noon_monday
):
    response = manager_client.get(reverse("report_cases_csv"), REPORT_QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert len(rows[0]) == 17  # the header
    assert sorted(row[0] for row in rows[1:]) == ["E1", "E2", "E3", "E4", "E5", "N1", "P1", "P2"]
    e2 = next(row for row in rows if row[0] == "E2")
    assert e2[13] == "120"  # late by two working hours, in minutes
    assert (e2[2], e2[3], e2[-1]) == ("E-mail", "Spoed", "te laat")  # labels, not codes


def test_the_case_csv_follows_an_explicit_choice_of_format(
    manager_client, week_of_cases, noon_monday
):
    response = manager_client.get(reverse("report_cases_csv"), {**REPORT_QUERY, "format": "en"})
    rows = read_csv(response, ",")
    assert len(rows[0]) == 17
    # The link chose the separator; the labels stay in the reader's language.
    assert next(row for row in rows if row[0] == "E2")[-1] == "te laat"


def test_the_report_offers_the_other_format_on_its_export_link(
    manager_client, week_of_cases, noon_monday
):
    page = manager_client.get(reverse("report"), REPORT_QUERY).content.decode()
    # The helpdesk's language is Dutch: the other choice is the English one.
    link = next(
        part.split('"')[0].replace("&amp;", "&")
        for part in page.split('href="')
        if part.startswith(reverse("report_cases_csv")) and "format=en" in part.split('"')[0]
    )
    assert "hetzelfde met “,” en “.” (Engelstalige spreadsheets)" in page
    rows = read_csv(manager_client.get(link), ",")
    assert len(rows[0]) == 17
    assert next(row for row in rows if row[0] == "E2")[-1] == "te laat"


def test_dutch_table_csv_writes_a_decimal_comma(manager_client, week_of_cases, noon_monday):
    rows = read_csv(
        manager_client.get(reverse("report_table_csv", args=["urgent-email"]), REPORT_QUERY)
    )
    share = rows[1][5]
    assert "," in share and "." not in share, share


def test_every_table_downloads_as_csv(manager_client, week_of_cases, noon_monday):
    expected_rows = {
        "enquiries": 7 + 1,
        "urgent-email": 1,
        "urgent-breaches": 2,
        "response-times": 6,
        "callbacks": 1,
        "out-of-hours": 7,
        "backlog": 5,
        "pso-level": 5,
    }
    for slug, count in expected_rows.items():
        rows = read_csv(manager_client.get(reverse("report_table_csv", args=[slug]), REPORT_QUERY))
        assert len(rows) == 1 + count, slug
    assert manager_client.get(reverse("report_table_csv", args=["nope"])).status_code == 404


def test_report_page_costs_the_same_queries_whatever_the_data(manager_client, db, noon_monday):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(reverse("report"), REPORT_QUERY).status_code == 200
        return len(queries)

    count_queries()  # warm the per-process caches (calendars, session)
    empty = count_queries()
    for i in range(40):
        CaseRowFactory(
            reference=f"Q{i}",
            channel="email",
            priority="urgent",
            created_at=at(16 + i % 5, 10),
            due_at=at(17 + i % 5, 10),
            first_response_at=at(16 + i % 5, 12),
            response_time=2 * H,
            late_by=dt.timedelta(0),
        )
    assert count_queries() == empty


def test_weekly_report_mail_goes_to_managers_with_last_weeks_figures(
    manager_user, staff_user, week_of_cases, mailoutbox
):
    from scheduling.reports.weekly_mail import sla_report_mail_send

    manager_user.email = "marco@pso-helpdesk.example"
    manager_user.save()
    staff_user.email = "sanne@pso-helpdesk.example"
    staff_user.save()
    assert sla_report_mail_send(now=NOW) == 1
    (mail,) = mailoutbox
    assert mail.to == ["marco@pso-helpdesk.example"]
    assert "16 november" in mail.subject
    assert "E4" in mail.body and "E2" in mail.body  # the breaches, by reference
    assert "period=week&date=2026-11-16" in mail.body


def test_weekly_report_schedule_is_created_once(db):
    from django_q.models import Schedule

    from scheduling.reports.weekly_mail import (
        WEEKLY_REPORT_SCHEDULE_NAME,
        weekly_report_schedule_ensure,
    )

    weekly_report_schedule_ensure()
    weekly_report_schedule_ensure()
    schedule = Schedule.objects.get(name=WEEKLY_REPORT_SCHEDULE_NAME)
    assert schedule.cron == "30 7 * * 1" and schedule.func == "scheduling.tasks.sla_report_weekly"
    assert timezone_local(schedule.next_run).weekday() == 0


def timezone_local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(AMS)
