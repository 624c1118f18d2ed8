"""Merging a case into another: what moves, what the survivor's clock becomes, who may,
threading of later mail, and undoing a merge made by mistake."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.intake.email import mail_receive
from cases.intake.outbound import mail_send
from cases.models import Case, CaseChange, CaseMerge, Status
from cases.timeline import case_timeline
from tests.factories import (
    CaseFactory,
    ContactFactory,
    InboundMessageFactory,
    ManagerUserFactory,
    NoteFactory,
    OrganisationFactory,
    PhoneCallFactory,
    StaffUserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

EARLIER = timezone.now() - dt.timedelta(days=3)


@pytest.fixture
def pair():
    """Two open cases of Jan Jansen of Gemeente Almelo: a call of three days ago, a mail today."""
    contact = ContactFactory(
        name="Jan Jansen",
        email="jan@almelo.nl",
        organisation=OrganisationFactory(name="Gemeente Almelo"),
    )
    by_phone = CaseFactory(subject="Trede 2 aanvragen", contact=contact, created_at=EARLIER)
    by_mail = CaseFactory(subject="Re: Trede 2", contact=contact, channel="email")
    return by_phone, by_mail


def test_calls_notes_and_mail_move_and_the_merged_case_is_closed_and_points_there(pair):
    source, target = pair[1], pair[0]
    staff = StaffUserFactory()
    call = PhoneCallFactory(case=source)
    note = NoteFactory(case=source, body="Belt terug na de audit.")
    received = InboundMessageFactory(case=source)
    kept = NoteFactory(case=target, body="Al op het survivor-dossier.")

    merge = services.case_merge(source=source, target=target, actor=staff)

    source.refresh_from_db()
    assert source.merged_into == target
    assert source.status == Status.CLOSED
    assert source.resolved_at is not None
    assert set(target.calls.all()) == {call}
    assert set(target.notes.all()) == {note, kept}
    assert list(target.inbound_messages.all()) == [received]
    assert not source.calls.exists() and not source.notes.exists()
    assert merge.moved["calls"] == [call.pk] and merge.moved["inbound"] == [received.pk]
    assert merge.merged_by == staff


def test_both_timelines_say_who_merged_what(pair):
    source, target = pair[1], pair[0]
    staff = StaffUserFactory(first_name="Sanne", last_name="de Vries")
    services.case_merge(source=source, target=target, actor=staff)

    into = CaseChange.objects.get(case=source, field="merged_into")
    assert (into.actor, into.new_value) == (staff, str(target.pk))
    survivor_lines = [line for e in case_timeline(target) for line in e.changes]
    line = next(line for line in survivor_lines if line.field == "merged_from")
    assert line.reference == source.reference and line.merge_stands
    assert source.reference in line.new


def test_the_merged_case_s_subject_and_description_show_on_the_survivor_s_timeline(
    pair, staff_client
):
    source, target = pair[1], pair[0]
    source.description = "Wij willen Trede 2 aanvragen.\nWelke stukken zijn nodig?"
    source.save(update_fields=["description"])
    merge = services.case_merge(source=source, target=target, actor=StaffUserFactory())

    line = next(
        line for e in case_timeline(target) for line in e.changes if line.field == "merged_from"
    )
    assert (line.merged_subject, line.merged_description) == (
        "Re: Trede 2",
        "Wij willen Trede 2 aanvragen.\nWelke stukken zijn nodig?",
    )
    page = staff_client.get(reverse("case_detail", args=[target.reference])).content.decode()
    assert f"Merged from {source.reference}: Re: Trede 2" in page
    assert "Wij willen Trede 2 aanvragen.<br>Welke stukken zijn nodig?" in page

    # Undone, the question is back on its own case and no longer on the survivor's.
    services.case_merge_undo(merge=merge, actor=ManagerUserFactory())
    page = staff_client.get(reverse("case_detail", args=[target.reference])).content.decode()
    assert "Welke stukken zijn nodig?" not in page


def test_the_survivor_takes_the_clock_of_the_question_asked_first(pair):
    by_phone, by_mail = pair
    staff = StaffUserFactory()
    # The earlier case was answered two hours late; merging must not hide that.
    Case.objects.filter(pk=by_phone.pk).update(
        first_response_at=EARLIER + dt.timedelta(hours=10), late_by=dt.timedelta(hours=2)
    )
    by_phone.refresh_from_db()

    services.case_merge(source=by_phone, target=by_mail, actor=staff)

    by_mail.refresh_from_db()
    assert by_mail.due_at == by_phone.due_at
    assert by_mail.late_by == dt.timedelta(hours=2)
    assert by_mail.first_response_at == by_phone.first_response_at


def test_a_later_case_merged_in_leaves_the_survivors_clock_alone(pair):
    by_phone, by_mail = pair
    due = by_phone.due_at
    services.case_merge(source=by_mail, target=by_phone, actor=StaffUserFactory())
    by_phone.refresh_from_db()
    assert by_phone.due_at == due and by_phone.first_response_at is None


def test_a_merge_bumps_the_survivors_version_so_open_forms_see_the_change(pair):
    source, target = pair[1], pair[0]
    version = target.version
    services.case_merge(source=source, target=target, actor=StaffUserFactory())
    target.refresh_from_db()
    assert target.version == version + 1


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda s, t: (s, s), "cannot be merged into itself"),
        (
            lambda s, t: (s, Case.objects.filter(pk=t.pk).update(status=Status.CLOSED) and t),
            "closed",
        ),
    ],
)
def test_refused_merges_say_why_and_change_nothing(pair, make, words):
    source, target = make(pair[1], pair[0])
    target.refresh_from_db()
    with pytest.raises(services.MergeRefused, match=words):
        services.case_merge(source=source, target=target, actor=StaffUserFactory())
    assert not CaseMerge.objects.exists()
    assert Case.objects.filter(merged_into__isnull=False).count() == 0


def test_a_merged_case_cannot_be_merged_again_nor_take_in_another(pair):
    source, target = pair[1], pair[0]
    third = CaseFactory(contact=target.contact)
    staff = StaffUserFactory()
    services.case_merge(source=source, target=target, actor=staff)
    source.refresh_from_db()
    with pytest.raises(services.MergeRefused, match="already been merged"):
        services.case_merge(source=source, target=third, actor=staff)
    with pytest.raises(services.MergeRefused, match="choose that one"):
        services.case_merge(source=third, target=source, actor=staff)


def test_cases_of_two_organisations_only_a_manager_may_merge():
    one = CaseFactory(organisation=OrganisationFactory(name="Gemeente Almelo"))
    other = CaseFactory(organisation=OrganisationFactory(name="Gemeente Hengelo"))
    with pytest.raises(services.MergeRefused, match="Only a manager"):
        services.case_merge(source=one, target=other, actor=StaffUserFactory())
    services.case_merge(source=one, target=other, actor=ManagerUserFactory())
    assert Case.objects.get(pk=one.pk).merged_into_id == other.pk


def test_a_reply_to_mail_of_the_merged_case_threads_to_the_survivor(
    pair, mailoutbox, django_capture_on_commit_callbacks
):
    source, target = pair[1], pair[0]
    sent = mail_send(
        case=source,
        to="jan@almelo.nl",
        subject="Uw vraag",
        body_text="Wij bellen u.",
        automatic=False,
    )
    services.case_merge(source=source, target=target, actor=StaffUserFactory())

    reply = (
        "From: Jan Jansen <jan@almelo.nl>\r\nTo: info@pso.nl\r\nSubject: Re: Uw vraag\r\n"
        f"Message-ID: <reply-1@almelo.nl>\r\nIn-Reply-To: {sent.message_id}\r\n\r\nDank u.\r\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        message = mail_receive(raw=reply, source="test").message
    message.refresh_from_db()
    assert message.case_id == target.pk


def test_mail_naming_the_merged_reference_goes_to_the_survivor(
    pair, django_capture_on_commit_callbacks
):
    source, target = pair[1], pair[0]
    services.case_merge(source=source, target=target, actor=StaffUserFactory())
    mail = (
        "From: Jan Jansen <jan@almelo.nl>\r\nTo: info@pso.nl\r\n"
        f"Subject: Nog een vraag [{source.reference}]\r\n"
        "Message-ID: <new-2@almelo.nl>\r\n\r\nHoi\r\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        message = mail_receive(raw=mail, source="test").message
    message.refresh_from_db()
    assert message.case_id == target.pk


def test_a_manager_undoes_a_merge_and_exactly_the_moved_rows_go_back(pair):
    source, target = pair[1], pair[0]
    manager = ManagerUserFactory()
    moved = NoteFactory(case=source, body="Van de mail-zaak.")
    status_before = source.status
    merge = services.case_merge(source=source, target=target, actor=StaffUserFactory())
    added_since = NoteFactory(case=target, body="Na het samenvoegen geschreven.")

    services.case_merge_undo(merge=merge, actor=manager)

    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into is None and source.status == status_before
    assert source.resolved_at is None
    assert list(source.notes.all()) == [moved]
    assert list(target.notes.all()) == [added_since]
    merge.refresh_from_db()
    assert merge.undone_by == manager
    assert CaseChange.objects.filter(case=target, field="merged_from", new_value="").exists()
    # Undone once: a second undo is refused, and the case can be merged again.
    with pytest.raises(services.MergeRefused, match="already been undone"):
        services.case_merge_undo(merge=merge, actor=manager)
    services.case_merge(source=source, target=target, actor=manager)


def test_undo_puts_back_the_survivors_own_clock(pair):
    by_phone, by_mail = pair
    due = by_mail.due_at
    merge = services.case_merge(source=by_phone, target=by_mail, actor=StaffUserFactory())
    by_mail.refresh_from_db()
    assert by_mail.due_at != due
    services.case_merge_undo(merge=merge, actor=ManagerUserFactory())
    by_mail.refresh_from_db()
    assert by_mail.due_at == due


def test_staff_cannot_undo_a_merge(pair):
    merge = services.case_merge(source=pair[1], target=pair[0], actor=StaffUserFactory())
    with pytest.raises(services.MergeRefused, match="Only a manager"):
        services.case_merge_undo(merge=merge, actor=StaffUserFactory())
    assert Case.objects.get(pk=pair[1].pk).merged_into_id == pair[0].pk
