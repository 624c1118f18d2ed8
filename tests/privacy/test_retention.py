"""The retention job: batches, idempotent, resumable, a dry run, legal holds respected."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from cases.models import Case, Contact, InboundMessage, MailAttachment, PhoneCall, Status
from mailboxes.models import Mailbox
from privacy import retention as retention_module
from privacy.anonymise import case as case_module
from privacy.models import AccessEntry, AnonymisedCase, LegalHold, RetentionPolicy, RetentionRun
from privacy.retention import RETENTION_SCHEDULE_NAME, retention_preview, retention_run
from privacy.scrub import ANONYMISED
from privacy.selectors import retention_policy
from privacy.tasks import retention_daily
from telephony.models import Call, CallEvent, PhoneSystem
from tests.factories import (
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    MailboxFactory,
    PhoneSystemFactory,
)

NOW = timezone.now()


def months_ago(months: int) -> dt.datetime:
    return NOW - relativedelta(months=months)


def closed_case(months: int, *, name: str, status: str = Status.CLOSED) -> Case:
    """A case of ``name`` (contact made three years ago), closed ``months`` ago, with mail."""
    contact = ContactFactory(name=name, email=f"{name.split()[0].lower()}@example.nl")
    Contact.objects.filter(pk=contact.pk).update(created_at=months_ago(36))
    case = CaseFactory(contact=contact, subject=f"Vraag van {name}", created_at=months_ago(40))
    message = InboundMessageFactory(case=case, contact=contact, from_address=contact.email)
    MailAttachment.objects.create(
        message=message, filename="cv.pdf", content_type="application/pdf", size=3, content=b"cv!"
    )
    call = PhoneCall.objects.create(
        case=case,
        number="+31546123456",
        notes=name,
        started_at=months_ago(40),
        inside_phone_hours=True,
    )
    phone_system_call(months_ago(40), contact=contact, phone_call=call)
    Case.objects.filter(pk=case.pk).update(status=status, resolved_at=months_ago(months))
    return Case.objects.get(pk=case.pk)


def phone_system_call(started_at: dt.datetime, **links) -> Call:
    """The phone system's record of a call from +31 546 123456, with its raw newCall."""
    system = PhoneSystem.objects.first() or PhoneSystemFactory()
    call = Call.objects.create(
        system=system,
        call_id=f"c-{Call.objects.count()}",
        from_raw="0546123456",
        number="+31546123456",
        started_at=started_at,
        **links,
    )
    CallEvent.objects.create(
        call=call,
        system=system,
        kind="newCall",
        occurred_at=started_at,
        received_at=started_at,
        payload={"from": "0546123456", "caller": {"name": "Beller"}},
    )
    return call


def wiped(call: Call) -> bool:
    call = Call.objects.get(pk=call.pk)
    events = list(call.events.values_list("payload", flat=True))
    return (call.number, call.from_raw, call.contact_id, events) == ("", "", None, [{}])


@pytest.fixture
def cases(db):
    return {
        "old": closed_case(25, name="Olga Oud"),
        "old_resolved": closed_case(30, name="Rik Opgelost", status=Status.RESOLVED),
        "middle": closed_case(13, name="Mia Midden"),
        "recent": closed_case(1, name="Rob Recent"),
        "held": closed_case(30, name="Hans Hold"),
        "open": closed_case(30, name="Otto Open", status=Status.OPEN),
    }


@pytest.fixture
def held(cases, manager_user):
    return LegalHold.objects.create(
        case=cases["held"], reason="Bezwaarprocedure", set_at=NOW, set_by=manager_user
    )


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_the_default_policy_is_the_documented_one(db):
    policy = retention_policy()
    assert (
        policy.anonymise_cases_after_months,
        policy.remove_originals_after_months,
        policy.anonymise_contacts_after_months,
        policy.access_log_months,
    ) == (24, 12, 24, 12)


def test_cases_closed_longer_than_the_period_are_anonymised_with_their_contacts(cases, held):
    run = retention_run(now=NOW)
    for key in ("old", "old_resolved"):
        case = fresh(cases[key])
        assert case.subject == ANONYMISED and case.contact is None
        assert case.calls.get().number == ""
        assert wiped(Call.objects.get(phone_call__case=case))
        assert Contact.objects.get(pk=cases[key].contact_id).name == ANONYMISED
    assert run.counts["cases_anonymised"] == 2
    assert run.counts["contacts_anonymised"] == 2
    assert RetentionRun.objects.get().finished_at is not None


def test_originals_and_attachments_go_after_the_shorter_period_the_text_stays(cases, held):
    retention_run(now=NOW)
    middle = fresh(cases["middle"])
    message = InboundMessage.objects.get(case=middle)
    assert bytes(message.raw) == b""
    assert not MailAttachment.objects.filter(message=message).exists()
    assert message.text_body and middle.subject == "Vraag van Mia Midden"
    assert middle.contact.name == "Mia Midden"
    # The phone system's raw events are its originals: they go; the call row stays.
    call = Call.objects.get(phone_call__case=middle)
    assert list(call.events.values_list("payload", flat=True)) == [{}]
    assert call.number == "+31546123456" and call.contact == middle.contact


def test_recent_open_and_held_cases_are_left_alone(cases, held):
    retention_run(now=NOW)
    for key in ("recent", "held", "open"):
        case = fresh(cases[key])
        assert case.subject == cases[key].subject
        message = InboundMessage.objects.get(case=case)
        assert bytes(message.raw) != b""
        assert MailAttachment.objects.filter(message=message).exists()


def test_a_second_run_finds_nothing_to_do(cases, held):
    retention_run(now=NOW)
    again = retention_run(now=NOW)
    assert sum(again.counts.values()) == 0


def test_the_dry_run_counts_what_the_run_then_does_and_changes_nothing(cases, held):
    AccessEntry.objects.create(at=months_ago(13), username="sanne", kind="case")
    dry = retention_run(now=NOW, dry_run=True)
    counts, references = retention_preview(now=NOW)
    assert dry.dry_run and dry.counts == counts
    assert sorted(references) == sorted([cases["old"].reference, cases["old_resolved"].reference])
    assert fresh(cases["old"]).subject == cases["old"].subject
    real = retention_run(now=NOW)
    assert {k: real.counts[k] for k in counts} == counts


def test_access_log_entries_older_than_their_period_are_deleted(db):
    old = AccessEntry.objects.create(at=months_ago(13), username="sanne", kind="case")
    kept = AccessEntry.objects.create(at=months_ago(11), username="sanne", kind="case")
    assert retention_run(now=NOW).counts["access_log_deleted"] == 1
    assert list(AccessEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessEntry.objects.filter(pk=old.pk).exists()


def test_a_shorter_policy_set_by_a_manager_applies(cases):
    RetentionPolicy.objects.create(pk=1, anonymise_cases_after_months=12)
    assert retention_run(now=NOW).counts["cases_anonymised"] == 4  # middle and held too


def test_small_batches_give_the_same_result(cases, held):
    assert retention_run(now=NOW, batch_size=1).counts["cases_anonymised"] == 2


def test_a_case_that_fails_half_way_is_left_whole_and_done_by_the_next_run(
    cases, held, monkeypatch
):
    def broken(case):
        raise RuntimeError("disk full")

    steps = list(case_module.CASE_STEPS)
    # Calls are blanked first, then the notes step breaks: the calls must come back.
    kinds = [kind for kind, _step in steps]
    assert kinds.index("calls") < kinds.index("notes")
    broken_steps = [(k, broken if k == "notes" else step) for k, step in steps]
    monkeypatch.setattr(case_module, "CASE_STEPS", tuple(broken_steps))
    run = retention_run(now=NOW)
    assert run.counts["errors"] == 2 and run.counts["cases_anonymised"] == 0
    assert fresh(cases["old"]).calls.get().number == "+31546123456"
    monkeypatch.setattr(case_module, "CASE_STEPS", tuple(steps))
    assert retention_run(now=NOW).counts["cases_anonymised"] == 2


def test_a_run_out_of_time_stops_between_cases_and_says_so(cases, held):
    run = retention_run(now=NOW, time_budget=0)
    assert run.counts["unfinished"] == 1 and run.counts["cases_anonymised"] == 0
    assert retention_run(now=NOW).counts["cases_anonymised"] == 2


def test_the_nightly_task_runs_the_job_and_the_migration_scheduled_it(cases, held):
    assert Schedule.objects.filter(name=RETENTION_SCHEDULE_NAME, schedule_type="C").exists()
    with time_machine.travel(NOW, tick=False):
        summary = retention_daily()
    assert "cases_anonymised 2" in summary and "unfinished 0" in summary


def test_the_command_counts_in_a_dry_run_and_applies_without(cases, held):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("retention_run", "--dry-run", stdout=out)
        assert "cases_anonymised: 2" in out.getvalue()
        assert fresh(cases["old"]).subject == cases["old"].subject
        call_command("retention_run", stdout=io.StringIO())
    assert fresh(cases["old"]).subject == ANONYMISED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_killed_in_the_middle_of_a_batch_leaves_no_case_half_done_and_resumes(
    monkeypatch,
):
    due = [closed_case(30, name=f"Beller{i} Achternaam{i}") for i in range(5)]
    monkeypatch.setitem(retention_module.TRANSACTION_ROWS, "cases_anonymised", 2)
    steps = case_module.CASE_STEPS
    notes = dict(steps)["notes"]
    seen = []

    def killed_in_the_second_group(pks):
        seen.append(pks)
        if len(seen) == 2:
            raise KeyboardInterrupt  # the worker killed (a deploy): not an error it catches
        return notes(pks)

    monkeypatch.setattr(
        case_module,
        "CASE_STEPS",
        tuple((k, killed_in_the_second_group if k == "notes" else s) for k, s in steps),
    )
    with pytest.raises(KeyboardInterrupt):
        retention_run(now=NOW)
    # Each group of two was one transaction: the first committed whole, the second (killed
    # after its calls were blanked, before its notes) rolled back whole, the fifth untouched.
    assert seen == [[due[0].pk, due[1].pk], [due[2].pk, due[3].pk]]
    assert [fresh(c).subject == ANONYMISED for c in due] == [True, True, False, False, False]
    for case in due[2:4]:
        kept = fresh(case)
        assert kept.calls.get().number == "+31546123456"  # blanked before the kill, back again
        assert not wiped(Call.objects.get(phone_call__case=kept))
        assert InboundMessage.objects.get(case=kept).from_address == kept.contact.email
        assert AnonymisedCase.objects.filter(case_id=kept.pk).count() == 0
    assert wiped(Call.objects.get(phone_call__case=due[0]))
    interrupted = RetentionRun.objects.get()
    assert interrupted.counts["cases_anonymised"] == 2 and interrupted.finished_at is not None

    monkeypatch.setattr(case_module, "CASE_STEPS", steps)
    again = retention_run(now=NOW)
    assert again.counts["cases_anonymised"] == 3
    assert all(fresh(c).subject == ANONYMISED for c in due)
    assert all(wiped(Call.objects.get(phone_call__case=c)) for c in due)


def test_phone_system_calls_nobody_logged_are_wiped_after_the_shorter_period(db):
    contact = ContactFactory(name="Bea Beller")
    old = phone_system_call(months_ago(13), contact=contact)
    recent = phone_system_call(months_ago(11), contact=contact)
    assert retention_preview(now=NOW)[0]["calls_without_case_wiped"] == 1
    assert retention_run(now=NOW).counts["calls_without_case_wiped"] == 1
    assert wiped(old) and not wiped(recent)
    assert Call.objects.get(pk=old.pk).started_at == old.started_at  # the caller log's count
    assert retention_run(now=NOW).counts["calls_without_case_wiped"] == 0


def test_a_contact_with_a_recent_call_of_the_phone_system_is_kept(db):
    contact = ContactFactory(name="Bea Beller")
    Contact.objects.filter(pk=contact.pk).update(created_at=months_ago(36))
    phone_system_call(months_ago(2), contact=contact)
    assert retention_run(now=NOW).counts["contacts_anonymised"] == 0
    Call.objects.update(started_at=months_ago(13))
    counts = retention_run(now=NOW).counts
    assert (counts["calls_without_case_wiped"], counts["contacts_anonymised"]) == (1, 1)


def test_a_mailbox_error_text_older_than_the_shorter_period_is_blanked(db):
    old = MailboxFactory(problem="store", problem_detail="x: from jan@example.nl")
    new = MailboxFactory(problem="store", problem_detail="y: from piet@example.nl")
    Mailbox.objects.filter(pk=old.pk).update(problem_at=months_ago(13))
    Mailbox.objects.filter(pk=new.pk).update(problem_at=months_ago(1))
    assert retention_preview(now=NOW)[0]["mailbox_errors_blanked"] == 1
    assert retention_run(now=NOW).counts["mailbox_errors_blanked"] == 1
    assert Mailbox.objects.values_list("problem", "problem_detail").get(pk=old.pk) == ("store", "")
    assert Mailbox.objects.get(pk=new.pk).problem_detail == "y: from piet@example.nl"
