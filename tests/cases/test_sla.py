"""The first-answer target of cases: set when opened, paused while waiting, late or on time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.first_answer import clock as sla
from cases.intake.case_updates import case_customer_replied
from cases.models import CallOutcome, Case, Channel, Priority, Status
from cases.models.targets import SlaTarget, UrgencyKeyword
from cases.services import CallDetails, call_log, case_update
from tests.factories import CaseFactory, UrgentMailCaseFactory
from tests.timehelpers import AMS, local

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)
ZERO = dt.timedelta()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (local(2026, 12, 1, 10, 15), local(2026, 12, 2, 10, 15)),
        (local(2026, 12, 1, 20, 0), local(2026, 12, 2, 17, 0)),
        (local(2026, 12, 4, 16, 0), local(2026, 12, 7, 16, 0)),
        (local(2026, 12, 24, 16, 0), local(2026, 12, 28, 16, 0)),
    ],
)
def test_urgent_email_is_due_one_working_day_later(received, due):
    assert sla.due_at(received, "urgent", "email") == due


def test_normal_email_is_due_three_working_days_later():
    assert sla.due_at(local(2026, 12, 1, 10, 15), "normal", "email") == local(2026, 12, 4, 10, 15)


def test_phone_targets_have_defaults():
    assert sla.due_at(local(2026, 12, 1, 10, 0), "normal", "phone") == local(2026, 12, 2, 10, 0)
    assert sla.due_at(local(2026, 12, 1, 10, 0), "urgent", "phone") == local(2026, 12, 1, 14, 0)


def test_a_closure_configured_by_managers_is_skipped():
    from calendars.models import Closure

    Closure.objects.create(
        scope="both",
        first_day=dt.date(2026, 12, 2),
        last_day=dt.date(2026, 12, 2),
        reason="Teamdag",
    )
    assert sla.due_at(local(2026, 12, 1, 10, 15), "urgent", "email") == local(2026, 12, 3, 10, 15)


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PHONE, Channel.WEB])
def test_every_opened_case_gets_its_target_and_due_time(channel):
    case = CaseFactory(
        created_at=local(2026, 12, 1, 10, 15), channel=channel, priority=Priority.NORMAL
    )
    case.refresh_from_db()
    assert case.sla_target == sla.target_for(channel, Priority.NORMAL)
    assert case.due_at == sla.due_at(case.created_at, Priority.NORMAL, channel)


def test_changed_target_applies_to_new_cases_only():
    old = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    SlaTarget.objects.filter(channel="email", priority="urgent").update(working_time=4 * H)
    new = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.sla_target, old.due_at) == (8 * H, local(2026, 12, 2, 10, 15))
    assert (new.sla_target, new.due_at) == (4 * H, local(2026, 12, 1, 14, 15))


@pytest.mark.parametrize(
    ("working_time", "message"),
    [
        (ZERO, "more than zero"),
        (-H, "more than zero"),
        (dt.timedelta(days=30), "at most 20 working days"),
        (dt.timedelta(minutes=90, seconds=30), "whole minutes"),
    ],
)
def test_target_validation_explains_what_is_wrong(working_time, message):
    target = SlaTarget.objects.get(channel="email", priority="urgent")
    target.working_time = working_time
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            target.full_clean()
        assert message in str(caught.value.message_dict["working_time"])


def test_pause_of_two_office_hours_moves_due_time_by_two_hours():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 11, 0))
    assert case.sla_paused_since == local(2026, 12, 1, 11, 0)
    case_update(case=case, actor=None, status=Status.OPEN, at=local(2026, 12, 1, 13, 0))
    case.refresh_from_db()
    assert case.due_at == local(2026, 12, 2, 12, 15)
    assert case.sla_paused_total == 2 * H
    assert case.sla_paused_since is None


def test_pause_over_a_weekend_moves_due_time_by_the_office_time_only():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 4, 15, 0))  # Friday: due Monday 15:00
    case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 4, 16, 0))
    case_update(case=case, actor=None, status=Status.OPEN, at=local(2026, 12, 7, 10, 0))
    case.refresh_from_db()
    assert case.sla_paused_total == 2 * H
    assert case.due_at == local(2026, 12, 7, 17, 0)


def test_pauses_add_up():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 0))
    for start, end in [(11, 12), (14, 15)]:
        case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, start, 0))
        case_update(case=case, actor=None, status=Status.OPEN, at=local(2026, 12, 1, end, 0))
    case.refresh_from_db()
    assert case.sla_paused_total == 2 * H
    assert case.due_at == local(2026, 12, 2, 12, 0)


def test_customer_reply_resumes_a_waiting_case():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 11, 0))
    case_customer_replied(case=case, at=local(2026, 12, 1, 12, 0))
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert case.due_at == local(2026, 12, 2, 11, 15)
    assert case.changes.filter(field="status", new_value="open").exists()


def test_customer_reply_on_a_running_case_changes_nothing():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    case_customer_replied(case=case, at=local(2026, 12, 1, 12, 0))
    case.refresh_from_db()
    assert case.due_at == local(2026, 12, 2, 10, 15)
    assert case.sla_paused_total == ZERO


def test_priority_change_recomputes_due_time_from_opening():
    case = CaseFactory(
        created_at=local(2026, 12, 1, 10, 15), channel=Channel.EMAIL, priority=Priority.NORMAL
    )
    assert case.due_at == local(2026, 12, 4, 10, 15)
    case_update(case=case, actor=None, priority=Priority.URGENT, at=local(2026, 12, 1, 15, 0))
    case.refresh_from_db()
    assert case.sla_target == 8 * H
    assert case.due_at == local(2026, 12, 2, 10, 15)


def test_priority_change_keeps_the_time_already_paused():
    case = CaseFactory(
        created_at=local(2026, 12, 1, 10, 15), channel=Channel.EMAIL, priority=Priority.NORMAL
    )
    case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 11, 0))
    case_update(case=case, actor=None, status=Status.OPEN, at=local(2026, 12, 1, 12, 0))
    case_update(case=case, actor=None, priority=Priority.URGENT, at=local(2026, 12, 1, 13, 0))
    case.refresh_from_db()
    assert case.due_at == local(2026, 12, 2, 11, 15)


def test_late_first_response_records_lateness_in_working_time():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 4, 16, 0))  # due Monday 16:00
    assert sla.case_first_response(case, local(2026, 12, 8, 10, 30)) is True
    case.refresh_from_db()
    assert case.first_response_at == local(2026, 12, 8, 10, 30)
    assert case.late_by == 2 * H + dt.timedelta(minutes=30)
    # Friday 1h, Monday 8h, Tuesday 1h30.
    assert case.response_time == 10 * H + dt.timedelta(minutes=30)


def test_first_response_in_time_is_zero_late():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    sla.case_first_response(case, local(2026, 12, 2, 10, 15))
    assert case.late_by == ZERO
    assert case.response_time == 8 * H


def test_the_first_response_wins():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 15))
    assert sla.case_first_response(case, local(2026, 12, 1, 11, 0)) is True
    stale = Case.objects.get(pk=case.pk)
    stale.first_response_at = None
    assert sla.case_first_response(stale, local(2026, 12, 3, 11, 0)) is False
    assert stale.first_response_at == local(2026, 12, 1, 11, 0)
    assert stale.late_by == ZERO


def test_response_time_leaves_out_the_paused_time():
    case = UrgentMailCaseFactory(created_at=local(2026, 12, 1, 10, 0))
    case_update(case=case, actor=None, status=Status.WAITING, at=local(2026, 12, 1, 11, 0))
    case_update(case=case, actor=None, status=Status.OPEN, at=local(2026, 12, 1, 14, 0))
    sla.case_first_response(case, local(2026, 12, 1, 15, 0))
    assert case.response_time == 2 * H


def test_answered_call_is_the_first_response_with_its_lateness(staff_user):
    case = CaseFactory(
        created_at=local(2026, 12, 1, 9, 0), channel=Channel.PHONE, priority=Priority.URGENT
    )
    call_log(
        case=case,
        actor=staff_user,
        call=CallDetails(
            number="+31546123456",
            started_at=local(2026, 12, 1, 14, 0),
            outcome=CallOutcome.ANSWERED,
        ),
    )
    case.refresh_from_db()
    assert case.first_response_at == local(2026, 12, 1, 14, 0)
    assert case.late_by == H  # due 13:00 after four office hours


def test_urgency_words_are_configurable():
    assert sla.subject_is_urgent("SPOED: certificaat")
    assert not sla.subject_is_urgent("urgentie")
    UrgencyKeyword.objects.filter(word="spoed").update(active=False)
    UrgencyKeyword.objects.create(word="dringend")
    assert not sla.subject_is_urgent("SPOED: certificaat")
    assert sla.subject_is_urgent("Dringend: audit morgen")


def test_urgency_word_is_stored_trimmed_and_lowercase_and_not_empty():
    word = UrgencyKeyword(word="  ASAP ")
    word.full_clean()
    assert word.word == "asap"
    with pytest.raises(ValidationError):
        UrgencyKeyword(word="   ").full_clean()


_received = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.just(AMS)
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_received, second=_received, priority=st.sampled_from(["urgent", "normal"]))
def test_due_at_is_monotone_and_leaves_exactly_the_target(first, second, priority):
    from calendars.configured import office_hours

    first, second = sorted((first, second))
    due_first = sla.due_at(first, priority, "email")
    assert due_first <= sla.due_at(second, priority, "email")
    assert office_hours().elapsed(first, due_first) == sla.target_for("email", priority)
