"""The automatic reply to a new mail: its language, the promised time, no robots, rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from cases.intake.acknowledgements import answer_time_in_words, guess_language
from cases.intake.case_updates import case_opened_from_mail
from cases.models import Case, Channel, Priority
from cases.models.mail import InboundMessage, OutboundMessage
from tests.factories import CaseFactory, InboundMessageFactory
from tests.timehelpers import local

# Tuesday 1 December 2026, 10:15 in Amsterdam.
RECEIVED = local(2026, 12, 1, 10, 15)

DUTCH_BODY = (
    "Goedemiddag,\n\nWij willen graag weten hoe wij van Aspirant-status naar Trede 1 kunnen. "
    "Kunt u ons vertellen wat daarvoor nodig is?\n\nMet vriendelijke groet,\nJanneke"
)
ENGLISH_BODY = (
    "Hello,\n\nWe would like to know how our company can move from Aspirant status to "
    "Trede 1. Could you tell us what is needed for the audit?\n\nKind regards,\nJohn"
)


class TuesdayMailFactory(InboundMessageFactory):
    """A Dutch mail from Janneke, received on Tuesday 1 December 2026 at 10:15."""

    received_at = RECEIVED
    text_body = DUTCH_BODY


def open_from_mail(message: InboundMessage, capture) -> Case:
    case = CaseFactory(
        subject=message.subject, channel=Channel.EMAIL, created_at=message.received_at
    )
    message.case = case
    message.save(update_fields=["case"])
    with capture(execute=True):
        case_opened_from_mail(case=case, message=message)
    case.refresh_from_db()
    return case


# --- Language ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (DUTCH_BODY, "nl"),
        (ENGLISH_BODY, "en"),
        ("", "nl"),
        ("Hi", "nl"),  # too short to tell: the helpdesk's own language
        ("Dear helpdesk, please send the form. Thanks", "en"),
        # An English signature under a Dutch mail stays Dutch.
        (DUTCH_BODY + "\n\nThis e-mail is confidential.", "nl"),
        # Quoted English of an earlier mail does not count.
        ("Dank u wel, dat is wat ik zocht.\n> Thank you for your question about the audit", "nl"),
    ],
)
def test_language_guess_counts_function_words(text, language):
    assert guess_language(text) == language


def test_answer_time_in_words_in_both_languages():
    due = dt.datetime(2026, 12, 2, 9, 15, tzinfo=dt.UTC)
    assert answer_time_in_words(due, "nl") == "woensdag 2 december 10:15"
    assert answer_time_in_words(due, "en") == "Wednesday 2 December 10:15"


# --- The acknowledgement -------------------------------------------------------------------------


@pytest.mark.django_db
def test_dutch_mail_gets_a_dutch_acknowledgement_with_the_promised_time(
    django_capture_on_commit_callbacks,
):
    case = open_from_mail(
        TuesdayMailFactory(subject="SPOED: audit morgen"), django_capture_on_commit_callbacks
    )
    assert case.priority == Priority.URGENT
    (sent,) = mail.outbox
    assert sent.to == ["janneke@almelo.nl"]
    assert case.reference in sent.subject
    # A stranger's subject is never repeated (it may carry a phishing text).
    assert sent.subject == f"[{case.reference}] Uw vraag is ontvangen"
    assert "uiterlijk woensdag 2 december 10:15 antwoord" in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    outbound = OutboundMessage.objects.get(case=case)
    assert outbound.automatic is True
    # An automatic reply is not the helpdesk's answer.
    assert case.first_response_at is None


@pytest.mark.django_db
def test_english_mail_gets_an_english_acknowledgement(django_capture_on_commit_callbacks):
    case = open_from_mail(
        TuesdayMailFactory(subject="Urgent: question about Trede 1", text_body=ENGLISH_BODY),
        django_capture_on_commit_callbacks,
    )
    (sent,) = mail.outbox
    assert sent.subject == f"[{case.reference}] Your question has been received"
    body = " ".join(sent.body.split())
    assert "You will have an answer by Wednesday 2 December 10:15 at the latest." in body
    assert "Dear Sir or Madam" in body


@pytest.mark.django_db
def test_normal_mail_promises_three_working_days(django_capture_on_commit_callbacks):
    case = open_from_mail(TuesdayMailFactory(), django_capture_on_commit_callbacks)
    assert case.priority == Priority.NORMAL
    assert case.due_at == local(2026, 12, 4, 10, 15)
    assert "uiterlijk vrijdag 4 december 10:15 antwoord" in mail.outbox[0].body


@pytest.mark.django_db
def test_automatic_mail_gets_no_acknowledgement(django_capture_on_commit_callbacks):
    case = open_from_mail(
        TuesdayMailFactory(
            subject="Automatisch antwoord: afwezig", automatic_reason="Auto-Submitted"
        ),
        django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []
    assert not OutboundMessage.objects.filter(case=case).exists()
    assert case.due_at is not None


# --- Urgency -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("subject", "priority_header", "urgent"),
    [
        ("SPOED: certificaat verloopt", "", True),
        ("Re: urgent - audit", "", True),
        ("Over de urgentie van social return", "", False),
        ("Vraag over de audit", "1 (Highest)", False),
    ],
)
def test_urgency_rule_decides_by_whole_words_in_the_subject_only(
    django_capture_on_commit_callbacks, subject, priority_header, urgent
):
    case = open_from_mail(
        TuesdayMailFactory(subject=subject, priority_header=priority_header),
        django_capture_on_commit_callbacks,
    )
    assert (case.priority == Priority.URGENT) is urgent
    expected = local(2026, 12, 2 if urgent else 4, 10, 15)
    assert case.due_at == expected
    assert case.sla_target == dt.timedelta(hours=8 if urgent else 24)


@pytest.mark.django_db
def test_urgency_set_by_the_rule_is_on_the_timeline(django_capture_on_commit_callbacks):
    case = open_from_mail(TuesdayMailFactory(subject="spoed"), django_capture_on_commit_callbacks)
    change = case.changes.get(field="priority")
    assert (change.old_value, change.new_value, change.actor) == ("normal", "urgent", None)


# --- Rate limit ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_acknowledgements_are_rate_limited_per_sender(django_capture_on_commit_callbacks, settings):
    settings.ACKNOWLEDGEMENT_RATE_LIMIT = 3
    settings.ACKNOWLEDGEMENT_RATE_WINDOW_MINUTES = 60
    with time_machine.travel(RECEIVED, tick=False) as clock:
        for minute in range(5):
            at = RECEIVED + dt.timedelta(minutes=minute)
            clock.move_to(at)
            open_from_mail(
                TuesdayMailFactory(subject=f"Vraag {minute}", received_at=at),
                django_capture_on_commit_callbacks,
            )
        # Another sender is not held back by the first one.
        open_from_mail(
            TuesdayMailFactory(subject="Vraag", from_address="piet@hengelo.nl", received_at=at),
            django_capture_on_commit_callbacks,
        )
        assert [m.to for m in mail.outbox] == [["janneke@almelo.nl"]] * 3 + [["piet@hengelo.nl"]]
        # An hour after the first, the window has room again.
        later = RECEIVED + dt.timedelta(minutes=61)
        clock.move_to(later)
        open_from_mail(
            TuesdayMailFactory(subject="Nog een vraag", received_at=later),
            django_capture_on_commit_callbacks,
        )
    assert len(mail.outbox) == 5
    assert mail.outbox[-1].to == ["janneke@almelo.nl"]


@pytest.mark.django_db
def test_rate_limit_matches_the_address_in_any_case(django_capture_on_commit_callbacks, settings):
    settings.ACKNOWLEDGEMENT_RATE_LIMIT = 1
    with time_machine.travel(RECEIVED, tick=False):
        open_from_mail(
            TuesdayMailFactory(from_address="Janneke@Almelo.nl"), django_capture_on_commit_callbacks
        )
        open_from_mail(
            TuesdayMailFactory(subject="Tweede vraag", from_address="janneke@almelo.nl"),
            django_capture_on_commit_callbacks,
        )
    assert len(mail.outbox) == 1


# --- Through mail intake ------------------------------------------------------------------------


@pytest.mark.django_db
def test_mail_received_through_intake_is_acknowledged_once(django_capture_on_commit_callbacks):
    from pathlib import Path

    from cases.intake.email import mail_receive

    raw = (Path(__file__).parents[1] / "fixtures" / "mail" / "plain_nl.eml").read_bytes()
    with time_machine.travel(RECEIVED, tick=False):
        for _ in range(2):  # delivered twice: one case, one acknowledgement
            with django_capture_on_commit_callbacks(execute=True):
                mail_receive(raw=raw, source="test", received_at=RECEIVED)
    case = Case.objects.get()
    assert case.due_at == local(2026, 12, 4, 10, 15)
    (sent,) = mail.outbox
    assert [a.lower() for a in sent.to] == ["j.devries@almelo.nl"]
    assert sent.subject == f"[{case.reference}] Uw vraag is ontvangen"
    assert "uiterlijk vrijdag 4 december 10:15 antwoord" in sent.body


@pytest.mark.django_db
def test_bounce_through_intake_gets_no_acknowledgement(django_capture_on_commit_callbacks):
    from pathlib import Path

    from cases.intake.email import mail_receive

    raw = (Path(__file__).parents[1] / "fixtures" / "mail" / "autoreply_ooo.eml").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        mail_receive(raw=raw, source="test", received_at=RECEIVED)
    assert mail.outbox == []
