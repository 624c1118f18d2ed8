"""Booking a callback on a case's page and the confirmation in words, in Dutch and English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from cases.models import Status
from cases.services import case_update
from scheduling.callbacks.booking import callback_schedule
from scheduling.models import Callback
from scheduling.templatetags.callbacks import slot_words
from tests.factories import CallerCaseFactory
from tests.timehelpers import local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def thursday_afternoon(time_machine):
    time_machine.move_to(local(2026, 11, 26, 13, 0), tick=False)


def test_the_slot_in_words_in_english_and_dutch():
    start = local(2026, 11, 30, 8, 30)
    with translation.override("en"):
        assert slot_words(start, 15) == "Monday 30 November between 08:30 and 08:45"
    with translation.override("nl"):
        # "between" itself comes from the Dutch catalogue ("tussen").
        assert slot_words(start, 15).startswith("maandag 30 november ")


def test_the_slot_end_is_right_on_the_day_the_clocks_go_back():
    with translation.override("en"):
        words = slot_words(local(2026, 10, 26, 12, 15), 15)
    assert words == "Monday 26 October between 12:15 and 12:30"


def test_booking_page_books_the_first_free_time_and_confirms_it_in_words(
    thursday_afternoon, staff_client
):
    case = CallerCaseFactory()
    page = staff_client.get(reverse("callback_new", args=[case.reference]))
    assert page.status_code == 200
    assert "+31546123456" in page.content.decode()

    response = staff_client.post(
        reverse("callback_new", args=[case.reference]), {"number": "0546-123456"}, follow=True
    )

    callback = Callback.objects.get()
    assert response.redirect_chain[-1][0] == reverse("callback_detail", args=[callback.pk])
    assert "Monday 30 November between 08:30 and 08:45" in response.content.decode()


def test_a_refused_time_is_offered_free_choices_and_one_can_be_picked(
    thursday_afternoon, staff_client
):
    case = CallerCaseFactory()
    url = reverse("callback_new", args=[case.reference])
    refused = staff_client.post(url, {"number": "0546123456", "requested_at": "2026-11-27T10:00"})
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "outside phone hours" in html
    assert "Monday 30 November between 08:45 and 09:00" in html
    assert 'value="2026-11-27T10:00"' in html  # what was typed is kept
    assert not Callback.objects.exists()

    offered = [c[0] for c in refused.context["form"].fields["slot"].choices]
    response = staff_client.post(
        url,
        {"number": "0546123456", "slot": offered[1], "offered": offered},
        follow=True,
    )
    assert "Monday 30 November between 08:45 and 09:00" in response.content.decode()
    assert Callback.objects.get().slot_start == local(2026, 11, 30, 8, 45)


def test_a_bad_time_or_number_is_refused_with_a_message(thursday_afternoon, staff_client):
    case = CallerCaseFactory()
    url = reverse("callback_new", args=[case.reference])
    response = staff_client.post(url, {"number": "12", "requested_at": "morgen"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not a phone number" in html
    assert "Enter a valid date/time." in html
    assert not Callback.objects.exists()


def test_a_closed_case_gets_a_message_instead_of_a_callback(thursday_afternoon, staff_client):
    case = CallerCaseFactory()
    case_update(case=case, actor=None, status=Status.CLOSED)
    response = staff_client.post(
        reverse("callback_new", args=[case.reference]), {"number": "0546123456"}
    )
    assert response.status_code == 200
    assert "a callback needs an open case" in response.content.decode()
    assert not Callback.objects.exists()


def test_the_confirmation_page_in_dutch(thursday_afternoon, client, staff_user):
    client.force_login(staff_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    callback = callback_schedule(case=CallerCaseFactory(), number="0546123456", actor=None)
    html = client.get(reverse("callback_detail", args=[callback.pk])).content.decode()
    assert "maandag 30 november" in html


def test_an_open_case_page_links_to_booking_a_callback(staff_client):
    case = CallerCaseFactory()
    html = staff_client.get(reverse("case_detail", args=[case.reference])).content.decode()
    assert reverse("callback_new", args=[case.reference]) in html
