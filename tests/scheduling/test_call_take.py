"""Taking a call: finding or adding the caller, opening or picking the case, logging it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import CallOutcome, Case, Contact, PhoneCall, Status
from scheduling.callbacks.calls import call_take
from tests.factories import CaseFactory, OrganisationFactory, category

pytestmark = pytest.mark.django_db


def _call(**overrides):
    values = {
        "number": "+31612345678",
        "started_at": timezone.now() - dt.timedelta(minutes=5),
        "duration": dt.timedelta(minutes=4),
        "notes": "Vraagt naar de voorwaarden voor Trede 2.",
    }
    values.update(overrides)
    return services.CallDetails(**values)


def test_call_take_opens_a_phone_case_for_an_unknown_caller(staff_user):
    call = call_take(
        actor=staff_user,
        call=_call(),
        caller_name="Petra Bakker",
        organisation_name="Bakkerij Bakker",
        subject="Hoe vraag ik de Aspirant-status aan?",
        category=category("aspirant"),
    )
    case = call.case
    assert case.channel == "phone"
    assert case.contact.name == "Petra Bakker"
    assert case.organisation.name == "Bakkerij Bakker"
    assert case.created_by == staff_user
    assert case.status == Status.OPEN  # answered on the phone
    assert case.contact.phones.get().number == "+31612345678"


def test_call_take_adds_the_call_to_the_chosen_case_without_a_new_case(staff_user):
    org = OrganisationFactory()
    existing = CaseFactory(organisation=org)
    call = call_take(actor=staff_user, call=_call(), case=existing, organisation=org)
    assert call.case == existing
    assert Case.objects.count() == 1
    assert PhoneCall.objects.filter(case=existing).count() == 1


def test_call_take_with_a_callback_request_is_not_a_first_response(staff_user):
    call = call_take(
        actor=staff_user, call=_call(outcome=CallOutcome.CALLBACK), subject="Terugbellen"
    )
    call.case.refresh_from_db()
    assert call.outcome == CallOutcome.CALLBACK
    assert call.case.first_response_at is None


def test_call_take_rolls_back_the_new_contact_when_the_case_cannot_be_opened(staff_user):
    with pytest.raises(Exception):  # noqa: B017 - any failure must leave nothing behind
        call_take(actor=staff_user, call=_call(), caller_name="Petra", subject="")
    assert not Contact.objects.exists()
