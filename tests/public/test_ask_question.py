"""Asking a question on the public page: a web case with its target, a mail, nothing revealed."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, Category, Channel, Contact, Organisation
from public.models import PublicPages, WebAttachment
from tests.public.conftest import started_value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "thursday_afternoon")]


def _form(client, **fields) -> dict:
    page = client.get(reverse("public:ask")).content.decode()
    return {
        "name": "Anouk Bakker",
        "email": "a.bakker@example.nl",
        "subject": "Trede 2 aanvragen",
        "question": "Hoe vragen wij Trede 2 aan?",
        "started": started_value(page),
        **fields,
    }


def test_a_question_opens_a_web_case_with_its_target_and_mails_the_answer_time(
    client, django_capture_on_commit_callbacks
):
    category = Category.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("public:ask"), _form(client, category=category.pk if category else "")
        )

    assert response.status_code == 200
    case = Case.objects.get(channel=Channel.WEB)
    assert case.subject == "Trede 2 aanvragen"
    assert case.due_at is not None
    assert case.contact.email == "a.bakker@example.nl"
    assert case.reference in response.content.decode()
    [message] = mail.outbox
    assert case.reference in message.subject
    assert "You will have an answer by" in message.body
    assert "/hulp/vraag/status/" in message.body


def test_the_kvk_number_finds_the_organisation(client):
    almelo = Organisation.objects.create(name="Gemeente Almelo", kvk_number="08180538")

    client.post(reverse("public:ask"), _form(client, kvk_number="0818 0538"))

    assert Case.objects.get().organisation == almelo


def test_known_or_unknown_the_page_says_the_same(client):
    Organisation.objects.create(name="Gemeente Almelo", kvk_number="08180538")
    Contact.objects.create(name="Anouk Bakker", email="a.bakker@example.nl")

    known = client.post(reverse("public:ask"), _form(client, kvk_number="08180538"))
    unknown = client.post(
        reverse("public:ask"),
        _form(client, kvk_number="12345678", email="iemand@example.org", name="Iemand Anders"),
    )

    def without_reference(response, case):
        page = response.content.decode().replace(case.reference, "REF")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    first, second = Case.objects.order_by("pk")
    assert known.status_code == unknown.status_code == 200
    assert without_reference(known, first) == without_reference(unknown, second)
    assert not Organisation.objects.filter(kvk_number="12345678").exists()


def test_an_unknown_organisation_is_noted_for_staff_not_created(client):
    client.post(reverse("public:ask"), _form(client, organisation="Bakkerij De Korf"))

    case = Case.objects.get()
    assert case.organisation is None
    assert "Bakkerij De Korf" in case.description
    assert not Organisation.objects.filter(name="Bakkerij De Korf").exists()


def test_the_attachment_is_kept_with_the_case_under_a_safe_name(client):
    upload = SimpleUploadedFile("../../etc/zelfscan.pdf", b"%PDF-1.4 scan", "application/pdf")

    client.post(reverse("public:ask"), {**_form(client), "attachment": upload})

    attachment = WebAttachment.objects.get()
    assert attachment.case == Case.objects.get()
    assert attachment.filename == "zelfscan.pdf"
    assert bytes(attachment.content) == b"%PDF-1.4 scan"


def test_an_attachment_over_the_limit_is_refused_and_nothing_is_opened(client, settings):
    settings.PUBLIC_MAX_ATTACHMENT_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("groot.pdf", b"x" * (1024 * 1024 + 1), "application/pdf")

    response = client.post(reverse("public:ask"), {**_form(client), "attachment": upload})

    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert not Case.objects.exists()


def test_without_email_or_phone_the_question_is_refused(client):
    response = client.post(reverse("public:ask"), _form(client, email=""))

    assert response.status_code == 400
    assert "Give an email address or a phone number" in response.content.decode()
    assert not Case.objects.exists()


def test_the_status_link_shows_the_question(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:ask"), _form(client))
    link = next(line for line in mail.outbox[0].body.splitlines() if "/hulp/vraag/status/" in line)

    page = client.get(link.split("8000", 1)[-1].strip()).content.decode()

    assert Case.objects.get().reference in page
    assert "New" in page


def test_a_closed_page_says_so(client):
    PublicPages.objects.create(question_open=False)

    assert client.get(reverse("public:ask")).status_code == 404
    assert client.post(reverse("public:ask"), {}).status_code == 404


def test_staff_see_and_download_the_attachment_from_the_case(client, staff_client):
    upload = SimpleUploadedFile("zelfscan.html", b"<script>alert(1)</script>", "text/html")
    client.post(reverse("public:ask"), {**_form(client), "attachment": upload})
    case = Case.objects.get()

    page = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    attachment = WebAttachment.objects.get()
    download = staff_client.get(reverse("web_attachment", args=[attachment.pk]))

    assert "zelfscan.html" in page and reverse("web_attachment", args=[attachment.pk]) in page
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content == b"<script>alert(1)</script>"


@pytest.mark.parametrize("email", ["info@pso-nederland.nl", "INFO@pso-nederland.nl"])
def test_the_helpdesks_own_address_is_refused(client, email):
    response = client.post(reverse("public:ask"), _form(client, email=email))

    assert response.status_code == 400
    assert "not the helpdesk" in response.content.decode()
    assert not Case.objects.exists()


def test_an_address_with_a_foreign_domain_is_written_for_the_mail_server(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("public:ask"), _form(client, email="anouk@bücher.example"))

    assert mail.outbox[0].to == ["anouk@xn--bcher-kva.example"]


def test_a_new_topic_shows_on_the_next_blank_form_though_the_fields_are_kept_drawn(client):
    assert "Subsidies" not in client.get(reverse("public:ask")).content.decode()

    Category.objects.create(name="Subsidies", slug="subsidies", position=99)

    assert "Subsidies" in client.get(reverse("public:ask")).content.decode()


def test_a_topic_switched_off_is_gone_from_the_next_blank_form(client):
    topic = Category.objects.create(name="Subsidies", slug="subsidies", position=99)
    assert "Subsidies" in client.get(reverse("public:ask")).content.decode()

    topic.active = False
    topic.save()

    assert "Subsidies" not in client.get(reverse("public:ask")).content.decode()


def test_the_kept_fields_of_one_language_are_never_shown_in_the_other(client):
    english = client.get(reverse("public:ask")).content.decode()
    client.cookies["django_language"] = "nl"
    dutch = client.get(reverse("public:ask")).content.decode()

    assert "Your name" in english and "Your name" not in dutch
    assert "Uw naam" in dutch


def test_a_refused_form_shows_what_was_typed_not_the_kept_blank_fields(client):
    client.get(reverse("public:ask"))  # the blank fields are drawn and kept

    response = client.post(reverse("public:ask"), _form(client, email="not an address"))

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Anouk Bakker"' in page
    assert 'value="not an address"' in page
