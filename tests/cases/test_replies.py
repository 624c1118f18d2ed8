"""Replies from the case page: copies and blind copies, files, signatures, canned answers
with placeholders, a failed send in plain words, and a check for mail that arrived while
the reply was written."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core import mail as django_mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.intake.outbound import mail_send
from cases.models import (
    CannedAnswer,
    OutboundAttachment,
    OutboundMessage,
    OutboundStatus,
    Signature,
)
from tests.factories import ContactFactory, InboundMessageFactory, UrgentMailCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


@pytest.fixture
def case(staff_user):
    jan = ContactFactory(name="Jan Jansen", email="jan@almelo.nl")
    case = UrgentMailCaseFactory(contact=jan, actor=staff_user)
    message = InboundMessageFactory(
        from_address="jan@almelo.nl",
        received_at=timezone.now() - dt.timedelta(hours=1),
    )
    message.case = case
    message.save(update_fields=["case"])
    return case


def reply(client, case, **fields):
    data = {
        "to": "jan@almelo.nl",
        "subject": "Re: uw vraag",
        "body": "Beste Jan, zo werkt het.",
        "loaded_at": timezone.now().isoformat(),
        **fields,
    }
    return client.post(reverse("case_mail_reply", args=[case.reference]), data)


def test_a_reply_goes_with_copies_blind_copies_and_a_file(
    staff_client, case, django_capture_on_commit_callbacks
):
    pdf = SimpleUploadedFile("stappenplan.pdf", b"%PDF-1.4 stappen", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(
            staff_client,
            case,
            cc="els@almelo.nl; piet@almelo.nl",
            bcc="archief@pso.example",
            attachments=[pdf],
        )
    assert response.status_code == 302
    email = django_mail.outbox[-1]
    assert email.to == ["jan@almelo.nl"]
    assert email.cc == ["els@almelo.nl", "piet@almelo.nl"]
    assert email.bcc == ["archief@pso.example"]
    assert "archief@pso.example" not in email.message().as_string()  # blind: not in the headers
    assert email.attachments[0][:2] == ("stappenplan.pdf", b"%PDF-1.4 stappen")
    sent = OutboundMessage.objects.get(automatic=False)
    assert sent.status == OutboundStatus.SENT
    assert OutboundAttachment.objects.get(message=sent).size == len(b"%PDF-1.4 stappen")
    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "stappenplan.pdf" in page and "els@almelo.nl, piet@almelo.nl" in page


def test_files_over_the_limit_are_refused_and_nothing_is_sent(staff_client, case, settings):
    settings.MAIL_MAX_ATTACHMENT_BYTES = 10
    big = SimpleUploadedFile("groot.pdf", b"x" * 11, "application/pdf")
    response = reply(staff_client, case, attachments=[big], body="Mijn antwoord blijft staan")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The files together are larger than" in page
    assert "Mijn antwoord blijft staan" in page
    assert not OutboundMessage.objects.filter(automatic=False).exists()


@pytest.mark.parametrize(
    ("cc", "message"),
    [
        ("geen adres", "is not an email address"),
        ("info@pso-helpdesk.example", "own address"),
        (",".join(f"p{i}@almelo.nl" for i in range(21)), "At most 20 addresses"),
    ],
)
def test_bad_copies_are_refused_with_the_reason(staff_client, case, settings, cc, message):
    settings.MAIL_HELPDESK_ADDRESSES = ["info@pso-helpdesk.example"]
    response = reply(staff_client, case, cc=cc)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OutboundMessage.objects.filter(automatic=False).exists()


def canned_on_page(client, case) -> dict[str, str]:
    page = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    data = re.search(r'<script id="canned-answers" type="application/json">(.*?)</script>', page)
    assert data, "the canned answers travel with the page"
    return {a["short_name"]: a["text"] for a in json.loads(data.group(1))}


def test_canned_answers_come_filled_in_for_the_case(staff_client, case):
    CannedAnswer.objects.create(
        short_name="aspirant",
        title="Van Aspirant naar Trede 1",
        body_nl="Beste {naam},\n\nUw vraag {zaak} beantwoorden wij uiterlijk "
        "{antwoord_uiterlijk}. Bellen kan {telefoonuren}. {onbekend}",
        body_en="Dear {naam}, about {zaak}.",
    )
    CannedAnswer.objects.create(short_name="oud", title="Oud", body_nl="x", active=False)
    texts = canned_on_page(staff_client, case)
    assert set(texts) == {"aspirant"}
    text = texts["aspirant"]
    assert text.startswith("Beste Jan Jansen,")
    assert case.reference in text
    assert re.search(r"uiterlijk \w+dag \d+ \w+ \d\d:\d\d\.", text)
    assert re.search(r"Bellen kan \w+dag \d+ \w+ 0?8:30–12:30\.", text)
    assert "{onbekend}" in text  # a typo stays visible


def test_a_customer_who_writes_english_gets_the_english_text(staff_client, staff_user):
    case = UrgentMailCaseFactory(contact=ContactFactory(name="John Smith"), actor=staff_user)
    message = InboundMessageFactory(
        subject="Question about the certificate",
        text_body="Hello, could you please tell me what the steps are and when we will hear "
        "from you? Thank you for your help with this.",
    )
    message.case = case
    message.save(update_fields=["case"])
    CannedAnswer.objects.create(
        short_name="stappen", title="Steps", body_nl="Beste {naam}", body_en="Dear {naam}"
    )
    assert canned_on_page(staff_client, case) == {"stappen": "Dear John Smith"}


def test_the_reply_starts_with_the_writers_signature(staff_client, staff_user, case):
    # The customer wrote Dutch, so the helpdesk's signature is Dutch too.
    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Met vriendelijke groet,\n\nSanne de Vries\nHelpdesk PSO" in page
    Signature.objects.create(user=staff_user, text="Sanne — tweede lijn, di en do")
    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "Sanne — tweede lijn, di en do" in page


def test_mail_that_arrived_while_writing_is_shown_before_anything_is_sent(
    staff_client, case, django_capture_on_commit_callbacks
):
    loaded = timezone.now() - dt.timedelta(minutes=5)
    late = InboundMessageFactory(
        from_address="jan@almelo.nl",
        subject="Laat maar, al opgelost",
        text_body="Het is gelukt.",
        received_at=timezone.now() - dt.timedelta(minutes=1),
    )
    late.case = case
    late.save(update_fields=["case"])
    response = reply(staff_client, case, loaded_at=loaded.isoformat(), body="Mijn uitleg")
    assert response.status_code == 409
    page = response.content.decode()
    assert "this arrived on the case while you were writing" in page
    assert "Laat maar, al opgelost" in page and "Mijn uitleg" in page
    assert not OutboundMessage.objects.filter(automatic=False).exists()

    confirmed = re.search(r'name="confirmed" value="([^"]*)"', page).group(1)
    again = re.search(r'name="loaded_at" value="([^"]*)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(
            staff_client, case, loaded_at=again, confirmed=confirmed, body="Mijn uitleg"
        )
    assert response.status_code == 302
    assert OutboundMessage.objects.filter(automatic=False).count() == 1


def test_a_colleagues_reply_meanwhile_also_asks_for_confirmation(staff_client, case, manager_user):
    loaded = timezone.now() - dt.timedelta(minutes=5)
    mail_send(
        case=case,
        to="jan@almelo.nl",
        subject="Re",
        body_text="Al beantwoord",
        automatic=False,
        actor=manager_user,
    )
    response = reply(staff_client, case, loaded_at=loaded.isoformat())
    assert response.status_code == 409
    assert "Reply by Marco Jansen" in response.content.decode()


def test_a_failed_send_says_why_in_plain_words_with_a_resend_button(staff_client, case):
    sent = mail_send(case=case, to="jan@almelo.nl", subject="A", body_text="B", automatic=False)
    OutboundMessage.objects.filter(pk=sent.pk).update(
        status=OutboundStatus.FAILED,
        status_detail="SMTPRecipientsRefused: {'jan@almelo.nl': (550, b'no such user')}",
    )
    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert "The mail server refused the recipient&#x27;s address." in page
    assert reverse("mail_resend", args=[sent.pk]) in page
