"""Staff pages for email: unprocessed mail and retry, one message, downloads, replies."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from cases.intake.email import mail_receive
from cases.models import Case, InboundMessage, InboundStatus, MailAttachment, OutboundMessage

pytestmark = pytest.mark.usefixtures("helpdesk_in_english")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mail"


@pytest.fixture
def receive(db, django_capture_on_commit_callbacks):
    def _receive(name: str | bytes) -> InboundMessage:
        raw = name if isinstance(name, bytes) else (FIXTURES / name).read_bytes()
        with django_capture_on_commit_callbacks(execute=True):
            receipt = mail_receive(raw=raw, source="test")
        receipt.message.refresh_from_db()
        return receipt.message

    return _receive


# --- Unprocessed mail ------------------------------------------------------------------


def test_unprocessed_list_shows_failed_and_set_aside_mail_with_the_reason(
    staff_client, receive, monkeypatch, django_assert_max_num_queries
):
    receive("list_newsletter.eml")
    import cases.intake.email as intake

    monkeypatch.setattr(intake, "parse_message", lambda *a, **k: 1 / 0)
    receive("plain_nl.eml")
    monkeypatch.undo()

    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("mail_unprocessed"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nieuwsbrief november" in text
    assert "An automatic message that belongs to no case" in text
    assert "Processing failed with a technical error: ZeroDivisionError" in text


def test_retry_processes_a_failed_message_after_the_fix(staff_client, receive, monkeypatch):
    import cases.intake.email as intake

    monkeypatch.setattr(intake, "parse_message", lambda *a, **k: 1 / 0)
    message = receive("plain_nl.eml")
    monkeypatch.undo()
    assert message.status == InboundStatus.FAILED

    response = staff_client.post(reverse("mail_retry", args=[message.pk]), follow=True)

    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED
    assert message.case.reference in response.content.decode()


def test_retry_needs_post(staff_client, receive):
    message = receive("list_newsletter.eml")
    assert staff_client.get(reverse("mail_retry", args=[message.pk])).status_code == 405


def test_mail_pages_need_a_login(client, receive):
    message = receive("plain_nl.eml")
    response = client.get(reverse("mail_message", args=[message.pk]))
    assert response.status_code == 302


# --- One message, HTML and images --------------------------------------------------------


def test_html_body_is_shown_without_scripts_handlers_or_remote_images(staff_client, receive):
    message = receive("html_only_xss.eml")
    response = staff_client.get(reverse("mail_message", args=[message.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in text.split('<div class="mail-html">')[1]
    for bad in (
        "onerror",
        "onload",
        "javascript:",
        "tracker.example.net",
        "<iframe",
        "evil.example",
    ):
        assert bad not in text.split('<div class="mail-html">')[1], bad
    assert "Load images for this message" in text


def test_remote_images_load_only_when_asked_for_that_message(staff_client, receive):
    message = receive("html_only_xss.eml")
    response = staff_client.get(reverse("mail_message", args=[message.pk]) + "?images=1")
    html = response.content.decode().split('<div class="mail-html">')[1]
    assert 'src="https://tracker.example.net/pixel.gif?id=42"' in html
    assert "<script" not in html
    # The page's policy lets them load for this page only, and only over HTTPS.
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https:" in policy
    plain = staff_client.get(reverse("mail_message", args=[message.pk]))
    assert (
        "https:" not in plain.headers["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    )


def test_attachment_name_with_markup_is_escaped_on_the_page(staff_client, receive):
    message = receive("attachments_rfc2231.eml")
    text = staff_client.get(reverse("mail_message", args=[message.pk])).content.decode()
    assert "script&gt;.html" in text
    assert "<script>alert" not in text


# --- Downloads -----------------------------------------------------------------------------


def test_risky_attachment_is_served_only_as_an_octet_stream_download(staff_client, receive):
    message = receive("attachments_rfc2231.eml")
    html_file = MailAttachment.objects.get(message=message, content_type="text/html")
    response = staff_client.get(reverse("mail_attachment", args=[html_file.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" in response.content


def test_pdf_attachment_keeps_its_type_and_its_utf8_name(staff_client, receive):
    message = receive("attachments_rfc2231.eml")
    pdf = MailAttachment.objects.get(message=message, filename="verklaring één.pdf")
    response = staff_client.get(reverse("mail_attachment", args=[pdf.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''verklaring%20%C3%A9%C3%A9n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_original_message_downloads_exactly_as_received(staff_client, receive):
    message = receive("unknown_charset.eml")
    response = staff_client.get(reverse("mail_raw", args=[message.pk]))
    assert response.content == (FIXTURES / "unknown_charset.eml").read_bytes()
    assert response["Content-Type"] == "application/octet-stream"


# --- Case page: timeline and reply -----------------------------------------------------------


def test_case_page_shows_received_mail_and_the_reply_form(
    staff_client, receive, django_assert_max_num_queries
):
    message = receive("winmail.eml")
    with django_assert_max_num_queries(30):
        response = staff_client.get(reverse("case_detail", args=[message.case.reference]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Email received" in text
    assert "winmail.dat" in text
    reply_url = reverse("case_mail_reply", args=[message.case.reference])
    assert f'action="{reply_url}"' in text


def test_staff_reply_is_sent_threaded_and_is_the_first_response(
    staff_client, staff_user, receive, django_capture_on_commit_callbacks
):
    message = receive("plain_nl.eml")
    case = message.case
    django_mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("case_mail_reply", args=[case.reference]),
            {
                "to": "j.devries@almelo.nl",
                "subject": "Re: Vraag over Trede 2",
                "body": "Beste Jan, de stappen zijn als volgt.",
                "quote": "on",
                "loaded_at": timezone.now().isoformat(),
            },
        )
    assert response.status_code == 302
    sent = OutboundMessage.objects.get(automatic=False)
    assert sent.sent_by == staff_user
    assert sent.in_reply_to == message.message_id
    email = django_mail.outbox[-1]
    assert case.reference in email.subject
    assert email.extra_headers["In-Reply-To"] == f"<{message.message_id}>"
    assert message.message_id in email.extra_headers["References"]
    assert email.extra_headers["X-PSO-Helpdesk-Loop"] == "pso-helpdesk"
    assert "Auto-Submitted" not in email.extra_headers
    assert "> Wij willen graag weten" in email.body
    case.refresh_from_db()
    assert case.first_response_at is not None


def test_reply_with_bad_input_is_shown_again_with_what_was_typed(staff_client, receive):
    case = receive("plain_nl.eml").case
    response = staff_client.post(
        reverse("case_mail_reply", args=[case.reference]),
        {"to": "geen-adres", "subject": "Re: x", "body": "Mijn lange antwoord"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Mijn lange antwoord" in text
    assert "geen-adres" in text
    assert OutboundMessage.objects.filter(automatic=False).count() == 0


def test_reply_to_the_helpdesks_own_address_is_refused(staff_client, receive):
    case = receive("plain_nl.eml").case
    response = staff_client.post(
        reverse("case_mail_reply", args=[case.reference]),
        {"to": "info@pso-nederland.nl", "subject": "Re: x", "body": "Hallo"},
    )
    assert response.status_code == 400
    assert Case.objects.get().outbound_messages.filter(automatic=False).count() == 0


def test_case_page_costs_the_same_queries_for_one_or_many_messages(
    staff_client, receive, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = receive("winmail.eml")
    url = reverse("case_detail", args=[first.case.reference])
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for n in range(5):
        raw = (
            f"From: b.smit@installatie-bv.nl\r\nSubject: Re {n}\r\nMessage-ID: <more-{n}@x.nl>\r\n"
            f"In-Reply-To: <{first.message_id}>\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain\r\n\r\ntekst\r\n"
            f"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
            f'filename="f{n}.pdf"\r\n\r\n%PDF\r\n--b--\r\n'
        ).encode()
        with django_capture_on_commit_callbacks(execute=True):
            mail_receive(raw=raw, source="test")
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)
    assert response.content.decode().count("Email received") == 6
    assert len(many) == len(one)


def test_staff_can_open_a_case_for_automatic_mail_set_aside(staff_client, receive):
    message = receive("list_newsletter.eml")
    assert message.status == InboundStatus.QUARANTINED
    page = staff_client.get(reverse("mail_unprocessed")).content.decode()
    assert "Open a case for it" in page

    staff_client.post(reverse("mail_retry", args=[message.pk]), {"open_case": "1"})

    message.refresh_from_db()
    assert message.status == InboundStatus.PROCESSED
    assert message.case.subject == "Nieuwsbrief november"
    assert not OutboundMessage.objects.filter(case=message.case).exists()


def test_unprocessed_mail_is_in_the_main_navigation(staff_client, db):
    page = staff_client.get(reverse("dashboard")).content.decode()
    assert reverse("mail_unprocessed") in page


def test_case_opened_by_a_stranger_naming_another_case_links_to_it(staff_client, receive):
    first = receive("plain_nl.eml")
    raw = (
        f"From: vreemde@example.org\r\nSubject: Over [{first.case.reference}]\r\n"
        "Message-ID: <stranger-page@example.org>\r\n\r\nHallo\r\n"
    ).encode()
    with_link = receive(raw)
    page = staff_client.get(reverse("case_detail", args=[with_link.case.reference]))
    text = page.content.decode()
    assert "linked, not merged" in text
    assert reverse("case_detail", args=[first.case.reference]) in text


def test_reply_on_a_case_without_mail_starts_a_thread(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    from cases.services import case_open

    case = case_open(subject="Telefonische vraag", channel="phone", actor=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("case_mail_reply", args=[case.reference]),
            {
                "to": "klant@almelo.nl",
                "subject": "Zoals besproken",
                "body": "Hierbij.",
                "loaded_at": timezone.now().isoformat(),
            },
        )
    assert response.status_code == 302
    sent = OutboundMessage.objects.get(case=case)
    assert sent.in_reply_to == "" and sent.references == ""
    assert django_mail.outbox[-1].subject == f"Zoals besproken [{case.reference}]"


def test_reply_to_an_unknown_case_is_not_found(staff_client, db):
    response = staff_client.post(
        reverse("case_mail_reply", args=["PSO-2026-99999"]),
        {"to": "a@b.nl", "subject": "x", "body": "y"},
    )
    assert response.status_code == 404


def test_admin_shows_received_mail_without_loading_the_raw_message(manager_client, receive):
    message = receive("attachments_rfc2231.eml")
    listing = manager_client.get(reverse("admin:cases_inboundmessage_changelist"))
    assert listing.status_code == 200
    page = manager_client.get(reverse("admin:cases_inboundmessage_change", args=[message.pk]))
    assert page.status_code == 200
    assert "groot.pdf" not in page.content.decode()  # part of the raw message only
    attachments = manager_client.get(reverse("admin:cases_mailattachment_changelist"))
    assert attachments.status_code == 200
