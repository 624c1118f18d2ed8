"""Hostile mail cannot pass itself off as a customer's, nor turn the helpdesk into a cannon.

Addresses are taken from the structured header before anything is decoded, so an
encoded display name can never become the sender; the acknowledgement repeats
nothing a stranger wrote, carries no link, and a global hourly cap holds back a
flood (kept on the case as held back).
"""

from __future__ import annotations

import base64

import pytest
from django.core import mail

from cases.intake.email import mail_receive
from cases.intake.parsing import addresses, automatic_reason, parse_message
from cases.models import Case, Channel, Contact, InboundStatus, OutboundMessage, OutboundStatus
from cases.services import case_open, contact_find_or_create


def raw_mail(
    from_header: str, *, subject: str = "Vraag", mid: str = "m1", extra: str = ""
) -> bytes:
    return (
        f"From: {from_header}\r\nTo: info@pso-nederland.nl\r\nSubject: {subject}\r\n"
        f"Message-ID: <{mid}@example.org>\r\n{extra}"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nGoedemiddag, ik heb een vraag.\r\n"
    ).encode()


def q_word(text: str) -> str:
    return (
        "=?utf-8?q?"
        + "".join(c if c.isalnum() else ("_" if c == " " else f"={ord(c):02X}") for c in text)
        + "?="
    )


def b_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


JAN = "Jan de Vries <jan.devries@example.nl>,"
EVIL = "<attacker@evil.example>"
SPOOFS = {
    "Q word with raw brackets": f"=?utf-8?q?Jan_de_Vries_<jan.devries@example.nl>,?= {EVIL}",
    "Q word fully encoded": f"{q_word(JAN)} {EVIL}",
    "B word": f"{b_word(JAN + ' ')} {EVIL}",
    "folded": f"{b_word(JAN)}\r\n {EVIL}",
    "two words": f"{q_word('Jan <jan.devries@')} {q_word('example.nl>,')} {EVIL}",
}


@pytest.fixture
def receive(db, django_capture_on_commit_callbacks):
    """Take a message in as ``ingest_email`` does, and send what it sends."""

    def _receive(raw: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            return mail_receive(raw=raw, source="test", inline=True).message

    return _receive


@pytest.mark.parametrize("header", SPOOFS.values(), ids=SPOOFS.keys())
def test_an_encoded_display_name_never_becomes_the_sender(header):
    mail_ = parse_message(raw_mail(header))
    assert mail_.from_address == "attacker@evil.example"
    for bad in "<>,@\r\n":
        assert bad not in mail_.from_name


@pytest.mark.parametrize(
    "name",
    ["Evil\r\nBcc: victim@evil.example", "Evil\nBcc: victim@evil.example", "A\x00B <x@y.nl>"],
)
def test_a_decoded_name_cannot_add_a_recipient_or_a_header(name):
    for word in (q_word(name), b_word(name)):
        found = addresses([f"{word} <sender@example.org>"])
        assert [address for _name, address in found] == ["sender@example.org"]
        assert all(ch not in found[0][0] for ch in "\r\n<>,@\x00")


def test_with_several_from_addresses_the_sender_header_names_who_sent_it():
    parsed = parse_message(
        raw_mail(
            "jan.devries@example.nl, attacker@evil.example",
            extra="Sender: attacker@evil.example\r\n",
        )
    )
    assert parsed.from_address == "attacker@evil.example"
    assert "several-from-addresses" in parsed.problems


@pytest.mark.django_db
def test_a_spoofed_sender_is_not_linked_to_the_customer_nor_threaded_on_their_case(receive):
    jan = contact_find_or_create(name="Jan de Vries", email="jan.devries@example.nl")
    case = case_open(subject="Vraag", channel=Channel.EMAIL, actor=None, contact=jan)
    received = receive(
        raw_mail(SPOOFS["Q word with raw brackets"], subject=f"Re: [{case.reference}] vraag")
    )

    assert received.from_address == "attacker@evil.example"
    assert received.contact_id != jan.pk
    assert received.case_id != case.pk  # a stranger's reference is linked, not merged
    assert mail.outbox[-1].to == ["attacker@evil.example"]
    assert "jan.devries" not in mail.outbox[-1].message().as_string().split("\n\n")[0]


@pytest.mark.django_db
def test_the_acknowledgement_repeats_no_strangers_name_subject_or_link(receive):
    phishing = "Uw account is geblokkeerd, log in op https://evil.example/login"
    receive(raw_mail(f'"{phishing}" <stranger@example.org>', subject=phishing))

    sent = mail.outbox[-1]
    assert "geblokkeerd" not in sent.subject and "geblokkeerd" not in sent.body
    assert "evil.example" not in sent.subject + sent.body
    assert "Geachte heer, mevrouw" in sent.body


@pytest.mark.django_db
def test_a_known_contact_is_greeted_by_the_helpdesks_name_for_them_without_links(receive):
    contact_find_or_create(name="Jan de Vries", email="jan@almelo.nl")
    receive(raw_mail("Iemand Anders <jan@almelo.nl>", subject="Vraag over www.evil.example/trede"))

    sent = mail.outbox[-1]
    assert "Beste Jan de Vries" in sent.body
    assert "Iemand Anders" not in sent.body
    assert "Vraag over" in sent.subject
    assert "evil.example" not in sent.subject


@pytest.mark.django_db
def test_a_flood_of_forged_senders_is_held_back_by_the_hourly_cap_and_shown_on_the_case(
    settings, receive
):
    settings.ACKNOWLEDGEMENT_LIMIT_PER_HOUR = 5
    for i in range(30):
        receive(raw_mail(f"Win a prize <victim{i}@example.org>", mid=f"flood{i}"))

    assert Case.objects.count() == 30  # every mail is kept and becomes a case
    assert len(mail.outbox) == 5
    held = OutboundMessage.objects.filter(status=OutboundStatus.HELD)
    assert held.count() == 25
    assert "in the last hour" in held.first().status_detail or "afgelopen uur" in (
        held.first().status_detail
    )


@pytest.mark.parametrize(
    ("extra", "sender"),
    [
        ("X-Autogenerated: Reply\r\n", "jan@almelo.nl"),
        ("X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent\r\n", "jan@almelo.nl"),
        ("X-MS-Exchange-Inbox-Rules-Loop: jan@almelo.nl\r\n", "jan@almelo.nl"),
        ("X-Auto-Response-Suppress: All\r\n", "jan@almelo.nl"),
        ("", "noreply@almelo.nl"),
        ("", "no-reply@almelo.nl"),
        ("", "donotreply@almelo.nl"),
    ],
)
def test_machine_mail_is_recognised(extra, sender):
    assert automatic_reason(parse_message(raw_mail(sender, extra=extra)))


@pytest.mark.django_db
def test_machine_mail_gets_no_acknowledgement(receive):
    message = receive(raw_mail("noreply@almelo.nl"))
    assert message.status == InboundStatus.QUARANTINED
    assert mail.outbox == []
    assert not Contact.objects.filter(email="noreply@almelo.nl").exists()
