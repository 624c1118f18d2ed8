"""Email intake end to end: store first, parse second, thread, match senders."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases.intake.email import Receipt, mail_receive
from cases.intake.outbound import mail_send
from cases.models import (
    Case,
    Contact,
    InboundMessage,
    InboundOutcome,
    InboundStatus,
    MailAttachment,
    Organisation,
    OutboundMessage,
    OutboundStatus,
    Status,
)
from cases.services import case_update

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


def eml(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def receive(db, django_capture_on_commit_callbacks):
    def _receive(raw: bytes | str, source: str = "test", **kwargs) -> Receipt:
        if isinstance(raw, str):
            raw = eml(raw)
        with django_capture_on_commit_callbacks(execute=True):
            receipt = mail_receive(raw=raw, source=source, **kwargs)
        receipt.message.refresh_from_db()
        return receipt

    return _receive


def reply_to(
    message_id: str,
    *,
    sender: str,
    subject: str = "Re: vraag",
    mid: str,
    header: str = "In-Reply-To",
) -> bytes:
    return (
        f"From: {sender}\r\nTo: info@pso-nederland.nl\r\nSubject: {subject}\r\n"
        f"Date: Fri, 27 Nov 2026 09:00:00 +0100\r\nMessage-ID: <{mid}>\r\n"
        f"{header}: <{message_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Dank voor uw antwoord.\r\n"
    ).encode()


# --- Store first -----------------------------------------------------------------------


def test_new_mail_opens_a_case_with_the_raw_message_and_its_hash_kept(receive):
    receipt = receive("plain_nl.eml")

    message = receipt.message
    assert message.status == InboundStatus.PROCESSED
    assert message.outcome == InboundOutcome.NEW
    assert bytes(message.raw) == eml("plain_nl.eml")
    assert len(message.raw_sha256) == 64
    case = message.case
    assert case.channel == "email"
    assert case.subject == "Vraag over Trede 2 voor de gemeente"
    assert "Trede 1 naar Trede 2" in case.description
    assert receipt.describe() == f"{case.reference} new"


def test_the_same_mail_delivered_three_times_is_stored_once(receive):
    first = receive("plain_nl.eml")
    second = receive("plain_nl.eml", source="Mailgun")
    # A copy through another address (another Received header) is still the same message.
    third = receive(b"Received: from relay.example.net\r\n" + eml("plain_nl.eml"))

    assert not first.duplicate and second.duplicate and third.duplicate
    assert InboundMessage.objects.count() == 1
    assert Case.objects.count() == 1
    assert third.describe() == f"{first.message.case.reference} duplicate"


def test_mail_without_message_id_is_recognised_again_by_its_bytes(receive):
    first = receive("no_message_id.eml")
    again = receive("no_message_id.eml")
    assert again.duplicate and again.message.pk == first.message.pk
    assert InboundMessage.objects.count() == 1


def test_the_same_esp_event_is_stored_once(receive):
    first = receive("plain_nl.eml", source="Postmark", esp_event_id="abc")
    other_bytes = receive("no_message_id.eml", source="Postmark", esp_event_id="abc")
    assert other_bytes.duplicate and other_bytes.message.pk == first.message.pk


def test_a_processing_failure_keeps_the_message_for_a_retry(receive, monkeypatch):
    import cases.intake.email as intake

    def broken(*args, **kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(intake, "parse_message", broken)
    receipt = receive("plain_nl.eml")
    message = receipt.message
    assert message.status == InboundStatus.FAILED
    assert "parser bug" in message.error
    assert bytes(message.raw) == eml("plain_nl.eml")
    assert Case.objects.count() == 0
    assert receipt.describe().startswith("- quarantined: could not be processed")

    monkeypatch.undo()
    intake.inbound_process(message_pk=message.pk)
    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED
    assert message.attempts == 2
    assert Case.objects.count() == 1


# --- Threading -------------------------------------------------------------------------


def test_reply_found_by_in_reply_to_joins_the_case(receive):
    first = receive("plain_nl.eml").message
    reply = receive(
        reply_to(first.message_id, sender="j.devries@almelo.nl", mid="r1@mail.almelo.nl")
    )
    assert reply.message.outcome == InboundOutcome.REPLY
    assert reply.message.case_id == first.case_id
    assert reply.describe() == f"{first.case.reference} reply"


def test_reply_found_by_references_when_the_subject_changed(receive):
    first = receive("plain_nl.eml").message
    reply = receive(
        reply_to(
            first.message_id,
            sender="collega@almelo.nl",
            subject="Iets heel anders",
            mid="r2@mail.almelo.nl",
            header="References",
        )
    )
    assert reply.message.case_id == first.case_id


def test_reply_to_our_outgoing_message_joins_its_case(receive, django_capture_on_commit_callbacks):
    case = receive("plain_nl.eml").message.case
    with django_capture_on_commit_callbacks(execute=True):
        sent = mail_send(
            case=case,
            to="j.devries@almelo.nl",
            subject="Antwoord",
            body_text="Zo.",
            automatic=False,
        )
    reply = receive(reply_to(sent.message_id, sender="iemand@elders.nl", mid="r3@elders.nl"))
    assert reply.message.case_id == case.pk


def test_subject_reference_from_a_participant_joins_the_case(receive):
    case = receive("plain_nl.eml").message.case
    raw = (
        f"From: J.deVries@almelo.nl\r\nSubject: Nog een vraag [{case.reference}]\r\n"
        "Message-ID: <new-thread@almelo.nl>\r\n\r\nHallo\r\n"
    ).encode()
    reply = receive(raw)
    assert reply.message.case_id == case.pk
    assert reply.message.outcome == InboundOutcome.REPLY


def test_subject_reference_from_a_stranger_opens_a_new_linked_case(receive):
    case = receive("plain_nl.eml").message.case
    raw = (
        f"From: vreemde@example.org\r\nSubject: Over [{case.reference}]\r\n"
        "Message-ID: <stranger@example.org>\r\n\r\nHallo\r\n"
    ).encode()
    receipt = receive(raw)
    message = receipt.message
    assert message.outcome == InboundOutcome.NEW
    assert message.case_id != case.pk
    assert message.related_case_id == case.pk


def test_a_reply_to_a_waiting_case_puts_it_back_to_open(receive):
    first = receive("plain_nl.eml").message
    case_update(case=first.case, actor=None, status=Status.WAITING)
    receive(reply_to(first.message_id, sender="j.devries@almelo.nl", mid="r4@almelo.nl"))
    first.case.refresh_from_db()
    assert first.case.status == Status.OPEN


def test_a_reply_to_a_resolved_case_reopens_it(receive):
    first = receive("plain_nl.eml").message
    case_update(case=first.case, actor=None, status=Status.RESOLVED)
    receive(reply_to(first.message_id, sender="j.devries@almelo.nl", mid="r5@almelo.nl"))
    first.case.refresh_from_db()
    assert first.case.status == Status.OPEN


def test_a_reply_to_a_closed_case_opens_a_new_case_linked_to_it(receive):
    first = receive("plain_nl.eml").message
    case_update(case=first.case, actor=None, status=Status.CLOSED)
    receipt = receive(reply_to(first.message_id, sender="j.devries@almelo.nl", mid="r6@almelo.nl"))
    assert receipt.message.outcome == InboundOutcome.NEW
    assert receipt.message.related_case_id == first.case_id
    first.case.refresh_from_db()
    assert first.case.status == Status.CLOSED


# --- Senders --------------------------------------------------------------------------


def test_known_contact_is_found_by_address_ignoring_case(receive):
    contact = Contact.objects.create(name="Jan de Vries", email="j.devries@ALMELO.nl")
    message = receive("plain_nl.eml").message
    assert message.contact == contact
    assert message.case.contact == contact
    assert Contact.objects.count() == 1


def test_unknown_sender_becomes_a_contact_of_the_organisation_with_that_domain(receive):
    almelo = Organisation.objects.create(name="Gemeente Almelo", email_domains="almelo.nl")
    message = receive("plain_nl.eml").message
    contact = message.contact
    assert contact.name == "Jan de Vries"
    assert contact.email == "J.deVries@almelo.nl"
    assert contact.organisation == almelo
    assert message.case.organisation == almelo


def test_free_mail_domain_never_picks_an_organisation(receive):
    # Stored before the free-mail rule existed: must still not be used.
    Organisation.objects.create(name="Gmail-gebruikers", email_domains="gmail.com")
    raw = (
        b"From: Piet <piet@gmail.com>\r\nSubject: Vraag\r\nMessage-ID: <p@gmail.com>\r\n\r\nHoi\r\n"
    )
    message = receive(raw).message
    assert message.contact.organisation is None
    assert message.case.organisation is None


# --- Automatic mail, bounces, loops ------------------------------------------------------


def _sent_ack(case) -> OutboundMessage:
    return OutboundMessage.objects.create(
        case=case,
        message_id="ack-0001@helpdesk.pso-nederland.nl",
        from_address="info@pso-nederland.nl",
        to="j.devries@almelo.nl",
        subject="Uw vraag is ontvangen",
        body_text="…",
        automatic=True,
        created_at=case.created_at,
        status=OutboundStatus.SENT,
    )


def test_auto_reply_is_logged_on_its_case_without_reopening_or_acknowledging(receive):
    first = receive("plain_nl.eml").message
    case = first.case
    _sent_ack(case)
    case_update(case=case, actor=None, status=Status.RESOLVED)

    receipt = receive("autoreply_ooo.eml")

    message = receipt.message
    assert message.case_id == case.pk
    assert message.is_automatic
    assert "Auto-Submitted" in message.automatic_reason
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    from cases.intake.email import may_acknowledge

    assert not may_acknowledge(message)
    assert may_acknowledge(first)


def test_bounce_marks_our_outgoing_message_as_bounced(receive):
    case = receive("plain_nl.eml").message.case
    ack = _sent_ack(case)
    message = receive("bounce_dsn.eml").message
    ack.refresh_from_db()
    assert ack.status == OutboundStatus.BOUNCED
    assert message.is_bounce
    assert message.case_id == case.pk
    assert {a.filename for a in message.attachments.all()} == {
        "delivery-status.txt",
        "returned-headers.txt",
    }


def test_mail_carrying_our_loop_header_is_dropped_with_a_log_line(receive, caplog):
    receive("plain_nl.eml")
    with caplog.at_level("INFO", logger="cases.intake.email"):
        receipt = receive("loop_own.eml")
    assert receipt.message.status == InboundStatus.DROPPED
    assert receipt.message.case is None
    assert receipt.describe() == "- quarantined: mail loop"
    assert "our own mail came back" in caplog.text
    assert Case.objects.count() == 1


def test_list_mail_without_a_case_is_set_aside_not_made_a_case(receive):
    receipt = receive("list_newsletter.eml")
    assert receipt.message.status == InboundStatus.QUARANTINED
    assert Case.objects.count() == 0
    assert receipt.describe().startswith("- quarantined: automatic message without a case")


# --- Content safety ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "subject", "text"),
    [
        (
            "rfc2047_split.eml",
            "Spoed: aanvraag Trede 3 – gemeente Hengelo (één vraag)",
            "certificering",
        ),
        ("unknown_charset.eml", "Vraag over café", "het café van ons"),
        ("wrong_charset.eml", "Vraag over social return", "Zwolle – Sanne Ölçer"),
        ("latin1_qp.eml", "Factuur én beoordeling", "één keer"),
        ("cp1252_8bit.eml", "Kosten", "€ 1.250? “Graag”"),
        ("alternative_base64.eml", "Aanvraag Aspirant-status", "Aspirant-status aanvragen"),
    ],
)
def test_headers_and_bodies_in_any_charset_are_decoded(receive, fixture, subject, text):
    message = receive(fixture).message
    assert message.status == InboundStatus.PROCESSED
    assert message.subject == subject
    assert text in message.text_body
    assert bytes(message.raw) == eml(fixture)


@pytest.mark.parametrize(
    ("fixture", "sender"),
    [
        ("from_empty.eml", "noreply-sender@stichting-werk.nl"),
        ("bare_name_from.eml", "h.dekker@bouwbedrijf-dekker.nl"),
    ],
)
def test_unusable_from_header_falls_back_to_the_envelope_sender(receive, fixture, sender):
    message = receive(fixture).message
    assert message.status == InboundStatus.PROCESSED
    assert message.from_address == sender
    assert message.case.contact.email == sender


def test_undisclosed_recipients_group_is_no_problem(receive):
    message = receive("undisclosed.eml").message
    assert message.status == InboundStatus.PROCESSED
    assert message.to == ""


def test_envelope_sender_from_the_mail_service_is_used_for_a_broken_from(receive):
    raw = b"From: <>\r\nSubject: x\r\nMessage-ID: <env@x.nl>\r\n\r\nHoi\r\n"
    message = receive(raw, envelope_sender="echte@afzender.nl").message
    assert message.from_address == "echte@afzender.nl"


@pytest.mark.parametrize(
    ("fixture", "filename", "content_type"),
    [
        ("winmail.eml", "winmail.dat", "application/ms-tnef"),
        ("forwarded_rfc822.eml", "forwarded-message.eml", "message/rfc822"),
    ],
)
def test_tnef_and_forwarded_messages_are_kept_as_attachments(
    receive, fixture, filename, content_type
):
    message = receive(fixture).message
    attachment = message.attachments.get()
    assert (attachment.filename, attachment.content_type) == (filename, content_type)
    assert attachment.size > 0
    # The forwarded message's text is not mistaken for the body.
    assert "Telt ons PSO-certificaat" not in message.text_body


def test_html_only_mail_is_kept_and_gets_a_case(receive):
    message = receive("html_only_xss.eml").message
    assert message.status == InboundStatus.PROCESSED
    assert "<script>" in message.html_body  # stored as received, never shown as is


def test_attachments_over_the_limit_are_dropped_and_named(receive, settings):
    settings.MAIL_MAX_ATTACHMENT_BYTES = 1000
    message = receive("attachments_rfc2231.eml").message
    assert message.status == InboundStatus.PROCESSED
    names = list(message.attachments.values_list("filename", flat=True))
    assert names == ["verklaring één.pdf", "script>.html"]
    assert "groot.pdf (5017 bytes)" in message.dropped_attachments
    assert "Twee bijlagen" in message.text_body
    assert MailAttachment.objects.count() == 2


# --- What a mail does to its case's first-answer clock -------------------------------------


def test_new_case_from_mail_gets_its_due_time_and_a_reply_resumes_its_clock(receive):
    first = receive("plain_nl.eml").message
    case = first.case
    assert case.due_at is not None and case.sla_target is not None
    case_update(case=case, actor=None, status=Status.WAITING, at=first.received_at)
    case.refresh_from_db()
    assert case.sla_paused_since is not None

    receive(reply_to(first.message_id, sender="j.devries@almelo.nl", mid="hook@almelo.nl"))

    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert case.sla_paused_since is None
    # Decided once: one change back to open, written by the mail (no actor).
    reopened = case.changes.filter(field="status", new_value=Status.OPEN)
    assert reopened.count() == 1
    assert reopened.get().actor is None


def test_a_failing_acknowledgement_keeps_the_case_and_says_so(receive, monkeypatch):
    from cases.intake import case_updates

    def broken(**kwargs):
        raise RuntimeError("mail template missing")

    monkeypatch.setattr(case_updates, "acknowledgement_send", broken)
    message = receive("plain_nl.eml").message
    assert message.status == InboundStatus.PROCESSED
    assert message.case is not None
    assert message.case.due_at is not None
    assert "mail template missing" in message.error


# --- Whatever arrives is processed, never left failing ----------------------------------------


def test_nul_characters_and_undecodable_header_bytes_are_stored(receive):
    raw = (
        b"From: Jan \xff\x00 <jan@almelo.nl>\r\nSubject: Vraag \x00 over \xfe\xff\r\n"
        b"Message-ID: <nul\x00-1@almelo.nl>\r\nIn-Reply-To: <\xff\xfe@x>\r\n"
        b"X-Mailer: Outl\xf6\xff\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Tekst met \x00 een NUL en \xff\xfe rommel.\r\n"
    )
    message = receive(raw).message
    assert message.status == InboundStatus.PROCESSED, message.error
    for field in ("subject", "from_name", "text_body", "in_reply_to", "message_id"):
        assert "\x00" not in getattr(message, field)
    assert "NUL" in message.text_body


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.eml")))
@pytest.mark.parametrize("cut", [0.3, 0.7])
def test_truncated_real_messages_are_still_processed(receive, fixture, cut):
    raw = eml(fixture)
    message = receive(raw[: int(len(raw) * cut)]).message
    assert message.status != InboundStatus.FAILED, message.error


def test_a_delivery_failure_report_is_automatic_whatever_its_headers_say(db, english):
    from tests.factories import InboundMessageFactory

    bounce = InboundMessageFactory.build(is_bounce=True, automatic_reason="")
    reply = InboundMessageFactory.build(is_bounce=False, automatic_reason="")

    assert bounce.is_automatic
    assert bounce.automatic_label == "delivery failure report"
    assert not reply.is_automatic
