"""Warnings before and at the first-answer target: working time, the right people, once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_q.models import Schedule

from cases.first_answer import clock as sla
from cases.models import Status
from cases.services import case_update
from scheduling.models import SlaWarning, SlaWarningKind
from scheduling.sla_warnings import (
    SLA_WARNINGS_SCHEDULE_NAME,
    sla_warnings_schedule_ensure,
    sla_warnings_send,
)
from tests.factories import ManagerUserFactory, UrgentMailCaseFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the job at ``now`` as the scheduler would: mails go out when its claims commit."""

    def run_at(now: dt.datetime) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return sla_warnings_send(now=now)

    return run_at


@pytest.fixture
def assignee(staff_user):
    staff_user.email = "sanne@pso.example"
    staff_user.save()
    return staff_user


# Opened Tuesday 1 December 2026 10:00 → due Wednesday 2 December 10:00.
OPENED = local(2026, 12, 1, 10, 0)


def test_approaching_warning_goes_to_the_assignee_two_working_hours_before(run, assignee):
    case = UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert case.due_at == local(2026, 12, 2, 10, 0)

    assert run(local(2026, 12, 1, 15, 0)) == 0  # 3 h left
    assert run(local(2026, 12, 1, 15, 59)) == 0  # 2:01 left
    assert mail.outbox == []
    # 16:00: 16:00–17:00 today and 09:00–10:00 tomorrow, exactly 2 working hours left.
    assert run(local(2026, 12, 1, 16, 0)) == 1

    (message,) = mail.outbox
    assert message.to == ["sanne@pso.example"]
    assert case.reference in message.subject
    assert "due soon" in message.subject
    assert "2 h 00 min of working time left" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    warning = SlaWarning.objects.get(case=case)
    assert warning.kind == SlaWarningKind.APPROACHING
    assert warning.recipients == "sanne@pso.example"
    assert warning.due_at == case.due_at
    assert warning.sent_at == local(2026, 12, 1, 16, 0)


def test_approaching_warning_waits_for_the_office_to_open(run, assignee):
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    # Tuesday 17:00 until Wednesday 09:00, 2 working hours are left, but nobody is in.
    assert run(local(2026, 12, 1, 17, 0)) == 0
    assert run(local(2026, 12, 2, 8, 55)) == 0
    assert run(local(2026, 12, 2, 9, 0)) == 1


def test_running_the_job_again_sends_no_second_mail(run, assignee):
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert run(local(2026, 12, 2, 9, 0)) == 1
    assert run(local(2026, 12, 2, 9, 5)) == 0
    assert run(local(2026, 12, 2, 9, 10)) == 0
    assert len(mail.outbox) == 1


def test_a_retry_after_a_crash_between_claim_and_mail_sends_nothing(assignee):
    # The first run claims the warning and its transaction commits, but the process dies
    # before the mail goes out: the on-commit callbacks are never run here.
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert sla_warnings_send(now=local(2026, 12, 2, 9, 0)) == 1
    assert SlaWarning.objects.count() == 1
    # The retry finds the claim: at most once — nothing is sent twice.
    assert sla_warnings_send(now=local(2026, 12, 2, 9, 0)) == 0
    assert mail.outbox == []


def test_a_refused_mail_is_logged_and_not_retried(run, assignee, settings, caplog):
    settings.EMAIL_BACKEND = "tests.scheduling.test_sla_warnings.RefusingBackend"
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert run(local(2026, 12, 2, 9, 0)) == 1
    assert "could not be mailed" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(local(2026, 12, 2, 9, 5)) == 0


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


def test_breach_warning_once_after_the_approaching_one(run, assignee):
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert run(local(2026, 12, 2, 9, 0)) == 1
    assert run(local(2026, 12, 2, 9, 59)) == 0
    assert run(local(2026, 12, 2, 10, 0)) == 1
    assert run(local(2026, 12, 2, 10, 5)) == 0
    assert run(local(2026, 12, 3, 10, 0)) == 0
    assert len(mail.outbox) == 2
    assert "overdue" in mail.outbox[1].subject.lower()
    kinds = set(SlaWarning.objects.values_list("kind", flat=True))
    assert kinds == {SlaWarningKind.APPROACHING, SlaWarningKind.BREACHED}


def test_a_case_first_seen_overdue_gets_only_the_breach_warning(run, assignee):
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert run(local(2026, 12, 2, 11, 0)) == 1
    assert SlaWarning.objects.get().kind == SlaWarningKind.BREACHED
    assert run(local(2026, 12, 2, 11, 5)) == 0


def test_breach_warning_goes_out_outside_office_hours(run, assignee):
    # Due Tuesday 17:00 (opened Monday 17:00, i.e. counting from Tuesday 09:00).
    case = UrgentMailCaseFactory(created_at=local(2026, 11, 30, 17, 0), assignee=assignee)
    assert case.due_at == local(2026, 12, 1, 17, 0)
    assert run(local(2026, 12, 1, 17, 5)) == 1
    assert SlaWarning.objects.get().kind == SlaWarningKind.BREACHED


def test_unassigned_case_warns_every_manager_with_an_address(run, manager_user):
    manager_user.email = "marco@pso.example"
    manager_user.save()
    ManagerUserFactory(username="eva", email="eva@pso.example")
    ManagerUserFactory(username="piet")  # no address
    ManagerUserFactory(username="oud", email="oud@pso.example", is_active=False)
    case = UrgentMailCaseFactory(created_at=OPENED)

    assert run(local(2026, 12, 2, 9, 0)) == 1

    assert sorted(address for m in mail.outbox for address in m.to) == [
        "eva@pso.example",
        "marco@pso.example",
    ]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert SlaWarning.objects.get(case=case).recipients.split() == [
        "marco@pso.example",
        "eva@pso.example",
    ]


def test_assignee_without_an_address_falls_back_to_the_managers(run, staff_user, manager_user):
    manager_user.email = "marco@pso.example"
    manager_user.save()
    UrgentMailCaseFactory(created_at=OPENED, assignee=staff_user)  # staff_user has no email address
    assert run(local(2026, 12, 2, 9, 0)) == 1
    assert [m.to for m in mail.outbox] == [["marco@pso.example"]]


def test_paused_case_gets_no_warnings(run, assignee):
    case = UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 11, 0))
    assert run(local(2026, 12, 2, 9, 0)) == 0
    assert run(local(2026, 12, 4, 9, 0)) == 0
    assert mail.outbox == []


def test_answered_case_gets_no_warnings(run, assignee):
    case = UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    sla.case_first_response(case, local(2026, 12, 1, 11, 0))
    assert run(local(2026, 12, 2, 9, 0)) == 0
    assert run(local(2026, 12, 2, 11, 0)) == 0
    assert mail.outbox == []


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_ended_case_gets_no_warnings(run, assignee, status):
    case = UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    case_update(case=case, actor=None, status=status, at=local(2026, 12, 1, 11, 0))
    assert run(local(2026, 12, 2, 9, 0)) == 0
    assert run(local(2026, 12, 2, 11, 0)) == 0
    assert mail.outbox == []


def test_weekend_is_not_working_time(run, assignee):
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 4, 11, 0), assignee=assignee)
    # Opened Friday 11:00 → 6 h on Friday, 2 h on Monday → due Monday 7 December 11:00.
    assert case.due_at == local(2026, 12, 7, 11, 0)

    # Friday 16:00: 3 working hours left (wall clock: almost three days): no warning.
    assert run(local(2026, 12, 4, 16, 0)) == 0
    # Friday evening and Saturday: 2 working hours left, but nobody is there to act.
    assert run(local(2026, 12, 4, 17, 5)) == 0
    assert run(local(2026, 12, 5, 12, 0)) == 0
    # Monday 08:00 (three hours before the due time on the wall clock): still closed.
    assert run(local(2026, 12, 7, 8, 0)) == 0
    # Monday 09:00: the office opens with 2 working hours left.
    assert run(local(2026, 12, 7, 9, 0)) == 1
    assert len(mail.outbox) == 1


def test_friday_afternoon_counts_towards_a_monday_morning_target(run, assignee):
    # Opened Friday 10:00 → due Monday 7 December 10:00. On Friday at 16:00 only two working
    # hours are left (16:00–17:00 and Monday 09:00–10:00), although the wall clock says 66 h:
    # the assignee hears it while there is still an hour of Friday to act in.
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 4, 10, 0), assignee=assignee)
    assert case.due_at == local(2026, 12, 7, 10, 0)
    assert run(local(2026, 12, 4, 15, 55)) == 0
    assert run(local(2026, 12, 4, 16, 0)) == 1


def test_warning_time_is_configurable(run, assignee, settings):
    settings.SLA_WARNING_BEFORE = dt.timedelta(minutes=30)
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    assert run(local(2026, 12, 2, 9, 0)) == 0
    assert run(local(2026, 12, 2, 9, 30)) == 1


def test_schedule_is_created_once_however_often_it_is_ensured():
    # The migration created it already; ensuring again updates that one row.
    sla_warnings_schedule_ensure()
    sla_warnings_schedule_ensure()
    (schedule,) = Schedule.objects.filter(name=SLA_WARNINGS_SCHEDULE_NAME)
    assert schedule.func == "scheduling.tasks.sla_warnings_send"
    assert schedule.cron == "*/5 * * * *"
    assert schedule.schedule_type == Schedule.CRON
    assert schedule.repeats == -1


def test_task_calls_the_service(assignee):
    from scheduling.tasks import sla_warnings_send as task

    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    with time_machine.travel(local(2026, 12, 2, 9, 0), tick=False):
        assert task() == "claimed 1 SLA warnings"


def test_management_command_runs_the_job_and_installs_the_schedule(assignee):
    UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    out = StringIO()
    with time_machine.travel(local(2026, 12, 2, 9, 0), tick=False):
        call_command("sla_warnings", stdout=out)
        call_command("sla_warnings", stdout=out)
    assert out.getvalue().splitlines() == ["Sent 1 target warnings.", "Sent 0 target warnings."]
    out = StringIO()
    call_command("sla_warnings", "--install-schedule", stdout=out)
    assert "sla-warnings" in out.getvalue()
    assert Schedule.objects.filter(name=SLA_WARNINGS_SCHEDULE_NAME).count() == 1


def test_candidates_cost_a_fixed_number_of_queries(run, assignee, django_assert_max_num_queries):
    for hour in range(9, 17):
        UrgentMailCaseFactory(created_at=local(2026, 12, 1, hour, 0), assignee=assignee)
    sla_warnings_send(now=local(2026, 11, 30, 9, 0))  # warm the calendar cache
    # One select, one savepoint + insert + release per warning claimed.
    with django_assert_max_num_queries(3 + 3 * 8):
        assert sla_warnings_send(now=local(2026, 12, 3, 9, 0)) == 8


def test_mail_text_is_not_html_escaped(run, assignee):
    case = UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    case.subject = 'R&D <spoed> "audit"'
    case.save()
    assert run(local(2026, 12, 1, 16, 0)) == 1
    (message,) = mail.outbox
    assert 'R&D <spoed> "audit"' in message.subject
    assert 'Subject: R&D <spoed> "audit"' in message.body


# --- Administration ------------------------------------------------------------------------


def test_managers_see_the_warnings_read_only(run, assignee, manager_client):
    case = UrgentMailCaseFactory(created_at=OPENED, assignee=assignee)
    run(local(2026, 12, 1, 16, 0))
    warning = SlaWarning.objects.get()
    listing = manager_client.get("/admin/scheduling/slawarning/")
    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    detail = manager_client.get(f"/admin/scheduling/slawarning/{warning.pk}/change/")
    assert detail.status_code == 200
    assert manager_client.get("/admin/scheduling/slawarning/add/").status_code == 403
    response = manager_client.post(
        f"/admin/scheduling/slawarning/{warning.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert SlaWarning.objects.filter(pk=warning.pk).exists()


def test_staff_do_not_see_the_warnings_in_the_administration(client, staff_user):
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    assert client.get("/admin/scheduling/slawarning/").status_code == 403
