"""The helpdesk's signature that managers keep: below the replies of staff members who
have no signature of their own, with their name for ``{naam}``."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import HelpdeskSignature, Signature
from cases.replies import signature_of
from tests.factories import ContactFactory, InboundMessageFactory, UrgentMailCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]

DUTCH = "Met vriendelijke groet,\n\n{naam}\nPSO Nederland, Postbus 1234, Den Haag"
ENGLISH = "Kind regards,\n\n{naam}\nPSO Netherlands, PO Box 1234, The Hague"


@pytest.fixture
def case(staff_user):
    jan = ContactFactory(name="Jan Jansen", email="jan@almelo.nl")
    case = UrgentMailCaseFactory(contact=jan, actor=staff_user)
    message = InboundMessageFactory(
        from_address="jan@almelo.nl", received_at=timezone.now() - dt.timedelta(hours=1)
    )
    message.case = case
    message.save(update_fields=["case"])
    return case


def reply_box(client, case) -> str:
    """The text the reply box on the case page starts with."""
    page = client.get(reverse("case_detail", args=[case.reference])).content.decode()
    found = re.search(r"<textarea[^>]*data-reply-body[^>]*>(.*?)</textarea>", page, re.S)
    assert found, "the case page has a reply box"
    return html.unescape(found.group(1))


def test_a_manager_edits_the_helpdesks_signature(manager_client, manager_user):
    page = manager_client.get(reverse("helpdesk_signature")).content.decode()
    # Before any is saved, the form starts from the default with the organisation's details.
    assert "{naam}" in page and "PSO helpdesk (Prestatieladder Socialer Ondernemen)" in page

    answer = manager_client.post(
        reverse("helpdesk_signature"),
        {"text_nl": DUTCH.replace("\n", "\r\n"), "text_en": ENGLISH},
    )

    assert answer.status_code == 302
    kept = HelpdeskSignature.objects.get()
    assert (kept.text_nl, kept.text_en, kept.updated_by) == (DUTCH, ENGLISH, manager_user)
    page = manager_client.get(reverse("helpdesk_signature")).content.decode()
    # The example below the form reads as it would below the manager's own reply.
    assert "Kind regards,\n\nMarco Jansen\nPSO Netherlands" in html.unescape(page)


def test_a_reply_of_staff_without_a_signature_carries_the_helpdesks(
    staff_client, staff_user, case, django_capture_on_commit_callbacks
):
    services.helpdesk_signature_update(text_nl=DUTCH, text_en=ENGLISH, actor=None)
    # The customer wrote Dutch, so the Dutch text, with the writer's name.
    body = reply_box(staff_client, case)
    assert body.strip().endswith("Sanne de Vries\nPSO Nederland, Postbus 1234, Den Haag")

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("case_mail_reply", args=[case.reference]),
            {
                "to": "jan@almelo.nl",
                "subject": "Re: uw vraag",
                "body": "Beste Jan, zo werkt het." + body,
                "loaded_at": timezone.now().isoformat(),
            },
        )

    (sent,) = django_mail.outbox
    assert "-- \nMet vriendelijke groet,\n\nSanne de Vries\nPSO Nederland, Postbus 1234" in (
        sent.body
    )


def test_a_staff_member_with_a_signature_of_their_own_keeps_theirs(staff_client, staff_user, case):
    services.helpdesk_signature_update(text_nl=DUTCH, text_en=ENGLISH, actor=None)
    Signature.objects.create(user=staff_user, text="Sanne — tweede lijn, di en do")

    body = reply_box(staff_client, case)

    assert "Sanne — tweede lijn, di en do" in body
    assert "Postbus 1234" not in body


def test_english_customers_get_the_english_text_or_the_dutch_without_one(staff_user):
    services.helpdesk_signature_update(text_nl=DUTCH, text_en=ENGLISH, actor=None)
    assert signature_of(staff_user, "en").startswith("Kind regards,\n\nSanne de Vries")
    services.helpdesk_signature_update(text_nl=DUTCH, text_en="", actor=None)
    assert signature_of(staff_user, "en").startswith("Met vriendelijke groet,\n\nSanne de Vries")
    assert HelpdeskSignature.objects.count() == 1


def test_an_english_text_left_empty_stays_empty_in_the_form(manager_client):
    services.helpdesk_signature_update(text_nl=DUTCH, text_en="", actor=None)

    form = manager_client.get(reverse("helpdesk_signature")).context["form"]

    assert (form["text_nl"].value(), form["text_en"].value()) == (DUTCH, "")


def test_staff_who_are_not_managers_cannot_edit_it(staff_client):
    services.helpdesk_signature_update(text_nl=DUTCH, text_en=ENGLISH, actor=None)

    assert staff_client.get(reverse("helpdesk_signature")).status_code == 403
    answer = staff_client.post(reverse("helpdesk_signature"), {"text_nl": "Groet, {naam}"})

    assert answer.status_code == 403
    assert HelpdeskSignature.objects.get().text_nl == DUTCH
    # Nor is it offered to them in the menu or on their settings page.
    for page in (reverse("dashboard"), reverse("profile")):
        content = staff_client.get(page).content.decode()
        assert reverse("helpdesk_signature") not in content


def test_managers_find_it_in_the_menu_and_on_their_settings_page(manager_client):
    for page in (reverse("dashboard"), reverse("profile")):
        assert (
            f'href="{reverse("helpdesk_signature")}"' in manager_client.get(page).content.decode()
        )


def test_an_empty_dutch_text_is_refused_and_nothing_is_saved(manager_client):
    answer = manager_client.post(reverse("helpdesk_signature"), {"text_nl": "  ", "text_en": "x"})

    assert answer.status_code == 400
    assert "please correct" in answer.content.decode()
    assert not HelpdeskSignature.objects.exists()


def test_a_manager_may_also_edit_it_in_the_administration_but_not_add_a_second(
    manager_client, manager_user
):
    services.helpdesk_signature_update(text_nl=DUTCH, text_en=ENGLISH, actor=None)
    change = reverse("admin:cases_helpdesksignature_change", args=[HelpdeskSignature.SINGLETON])

    answer = manager_client.post(change, {"text_nl": "Groet,\r\n{naam}", "text_en": ""})

    assert answer.status_code == 302
    kept = HelpdeskSignature.objects.get()
    assert (kept.text_nl, kept.text_en, kept.updated_by) == ("Groet,\n{naam}", "", manager_user)
    assert manager_client.get(reverse("admin:cases_helpdesksignature_add")).status_code == 403
