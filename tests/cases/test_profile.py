"""One's own settings: name and signature, used below the next reply."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Signature
from cases.replies import signature_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helpdesk_in_english")]


def test_the_page_shows_the_helpdesk_signature_while_ones_own_is_empty(staff_client):
    page = staff_client.get(reverse("profile")).content.decode()
    assert "used while yours is empty" in page
    assert 'name="signature"' in page


def test_staff_set_their_own_signature_and_it_goes_below_their_replies(staff_client, staff_user):
    answer = staff_client.post(
        reverse("profile"),
        {
            "first_name": "Sanne",
            "last_name": "de Vries-Bakker",
            "signature": "Met vriendelijke groet,\r\nSanne de Vries-Bakker\r\nPSO-helpdesk",
        },
    )
    assert answer.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.last_name == "de Vries-Bakker"
    assert signature_of(staff_user, "nl") == (
        "Met vriendelijke groet,\nSanne de Vries-Bakker\nPSO-helpdesk"
    )
    page = staff_client.get(reverse("profile")).content.decode()
    assert "used while yours is empty" not in page


def test_emptying_the_signature_brings_back_the_helpdesks(staff_client, staff_user):
    Signature.objects.create(user=staff_user, text="Oude handtekening")
    staff_client.post(
        reverse("profile"), {"first_name": "Sanne", "last_name": "de Vries", "signature": "  "}
    )
    assert not Signature.objects.filter(user=staff_user).exists()
    assert "Oude handtekening" not in signature_of(staff_user, "nl")


def test_a_bad_signature_is_refused_and_what_was_typed_stays(staff_client, staff_user):
    answer = staff_client.post(
        reverse("profile"),
        {"first_name": "Sanne", "last_name": "x" * 151, "signature": "Groet\x00"},
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "please correct" in page and "Groet" in page
    staff_user.refresh_from_db()
    assert staff_user.last_name == "de Vries"
    assert not Signature.objects.filter(user=staff_user).exists()


def test_ones_own_settings_only(staff_client, staff_user, django_user_model):
    other = django_user_model.objects.create_user("piet", first_name="Piet")
    staff_client.post(
        reverse("profile"), {"first_name": "Sanne", "last_name": "de Vries", "signature": "S."}
    )
    other.refresh_from_db()
    assert other.first_name == "Piet"
    assert not Signature.objects.filter(user=other).exists()


def test_the_header_links_to_the_settings(staff_client):
    page = staff_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("profile")}"' in page
