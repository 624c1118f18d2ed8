"""Claiming a callback and recording how it went."""

from __future__ import annotations

import pytest

from cases.models import CallDirection, CallOutcome, Note, PhoneCall, Priority, Status
from cases.services import case_update
from scheduling.callbacks.errors import AlreadyClaimed, CallbackError
from scheduling.callbacks.queue import callback_claim, callback_record_outcome
from scheduling.models import CallbackState
from tests.factories import CallbackFactory, UserFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


MONDAY_0835 = local(2026, 11, 30, 8, 35)


@pytest.fixture
def callback():
    return CallbackFactory()  # Thursday afternoon: Monday 30 November, 08:30


@pytest.fixture
def colleague():
    return UserFactory(username="karin", first_name="Karin", last_name="Smit")


def test_claiming_locks_the_callback_to_one_staff_member(callback, staff_user):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    callback.refresh_from_db()
    assert callback.claimed_by == staff_user
    assert callback.state == CallbackState.IN_PROGRESS


def test_a_second_claim_by_someone_else_is_refused_with_who_has_it(callback, staff_user, colleague):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    with pytest.raises(AlreadyClaimed, match="Sanne de Vries"):
        callback_claim(callback=callback, actor=colleague, now=MONDAY_0835)
    callback.refresh_from_db()
    assert callback.claimed_by == staff_user


def test_claiming_again_by_the_same_person_is_harmless(callback, staff_user):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    callback.refresh_from_db()
    assert callback.claimed_by == staff_user


def test_a_finished_callback_cannot_be_claimed(callback, staff_user, colleague):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    callback_record_outcome(callback=callback, actor=staff_user, outcome="reached", now=MONDAY_0835)
    with pytest.raises(CallbackError, match="done"):
        callback_claim(callback=callback, actor=colleague, now=MONDAY_0835)


def test_reached_logs_an_outgoing_call_and_resolves_the_case_when_asked(callback, staff_user):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    result = callback_record_outcome(
        callback=callback,
        actor=staff_user,
        outcome="reached",
        notes="Uitgelegd hoe de Trede 2 aanvraag werkt.",
        resolve_case=True,
        now=MONDAY_0835,
    )
    assert result.callback.state == CallbackState.DONE
    assert result.callback.outcome_notes == "Uitgelegd hoe de Trede 2 aanvraag werkt."
    call = PhoneCall.objects.get(case=callback.case)
    assert call.direction == CallDirection.OUTBOUND
    assert call.outcome == CallOutcome.ANSWERED
    assert call.notes == "Uitgelegd hoe de Trede 2 aanvraag werkt."
    callback.case.refresh_from_db()
    assert callback.case.status == Status.RESOLVED


def test_reached_without_resolving_keeps_the_case_open(callback, staff_user):
    callback_record_outcome(callback=callback, actor=staff_user, outcome="reached", now=MONDAY_0835)
    callback.case.refresh_from_db()
    assert callback.case.status == Status.OPEN


def test_no_answer_moves_the_callback_an_hour_on_and_releases_it(callback, staff_user):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    result = callback_record_outcome(
        callback=callback, actor=staff_user, outcome="no_answer", now=MONDAY_0835
    )
    # Not the slot that is running: the first slot starting an hour or more later.
    assert result.moved_to == local(2026, 11, 30, 9, 45)
    assert not result.gave_up
    callback.refresh_from_db()
    assert callback.attempts == 1
    assert callback.state == CallbackState.SCHEDULED
    assert callback.claimed_by is None
    assert PhoneCall.objects.get(case=callback.case).outcome == CallOutcome.NO_ANSWER


def test_no_answer_late_in_the_morning_tries_again_the_next_phone_day(callback, staff_user):
    callback_claim(callback=callback, actor=staff_user, now=local(2026, 11, 30, 12))
    result = callback_record_outcome(
        callback=callback, actor=staff_user, outcome="no_answer", now=local(2026, 11, 30, 12)
    )
    assert result.moved_to == local(2026, 12, 1, 8, 30)


def test_the_retry_interval_is_configurable(callback, staff_user, settings):
    settings.CALLBACK_RETRY_MINUTES = 30
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    result = callback_record_outcome(
        callback=callback, actor=staff_user, outcome="no_answer", now=MONDAY_0835
    )
    assert result.moved_to == local(2026, 11, 30, 9, 15)


def test_claiming_assigns_an_unassigned_case_to_the_claimer(callback, staff_user, colleague):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    callback.case.refresh_from_db()
    assert callback.case.assignee == staff_user


def test_claiming_leaves_an_assigned_case_with_its_assignee(callback, staff_user, colleague):
    case_update(case=callback.case, actor=colleague, assignee=colleague)
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    callback.case.refresh_from_db()
    assert callback.case.assignee == colleague


def test_three_times_no_answer_flags_the_case_and_stops_calling(callback, staff_user):
    times = [MONDAY_0835, local(2026, 11, 30, 8, 50), local(2026, 11, 30, 9, 5)]
    results = []
    for now in times:
        callback_claim(callback=callback, actor=staff_user, now=now)
        results.append(
            callback_record_outcome(
                callback=callback, actor=staff_user, outcome="no_answer", now=now
            )
        )
    assert [r.gave_up for r in results] == [False, False, True]
    callback.refresh_from_db()
    assert callback.attempts == 3
    assert callback.state == CallbackState.NO_ANSWER
    note = Note.objects.get(case=callback.case)
    assert "no answer after 3 attempts" in note.body
    callback.case.refresh_from_db()
    assert callback.case.priority == Priority.URGENT
    assert "Email the caller" in note.body
    assert PhoneCall.objects.filter(case=callback.case).count() == 3


def test_wrong_number_cancels_the_callback_with_a_note_on_the_case(callback, staff_user):
    callback_record_outcome(
        callback=callback, actor=staff_user, outcome="wrong_number", now=MONDAY_0835
    )
    callback.refresh_from_db()
    assert callback.state == CallbackState.CANCELLED
    assert "wrong number" in Note.objects.get(case=callback.case).body


def test_only_the_claimer_records_the_outcome(callback, staff_user, colleague):
    callback_claim(callback=callback, actor=staff_user, now=MONDAY_0835)
    with pytest.raises(AlreadyClaimed):
        callback_record_outcome(
            callback=callback, actor=colleague, outcome="reached", now=MONDAY_0835
        )
    assert not PhoneCall.objects.exists()


def test_an_unknown_outcome_is_refused(callback, staff_user):
    with pytest.raises(CallbackError, match="Choose"):
        callback_record_outcome(callback=callback, actor=staff_user, outcome="maybe")
