"""Write paths used by the call and case pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import (
    CallOutcome,
    Case,
    CaseChange,
    Contact,
    Organisation,
    PhoneCall,
    PhoneNumber,
    Priority,
    Status,
)
from scheduling.callbacks.calls import call_take
from tests.cases import case_factories as make

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


def test_case_update_writes_one_change_per_changed_field_with_raw_values(staff_user):
    case = make.case()
    category = make.category("sroi")
    recorded = services.case_update(
        case=case,
        actor=staff_user,
        status=Status.WAITING,
        priority=Priority.NORMAL,  # unchanged: no entry
        assignee=staff_user,
        category=category,
    )
    rows = {c.field: (c.old_value, c.new_value) for c in CaseChange.objects.filter(case=case)}
    assert len(recorded) == 3
    assert rows == {
        "status": ("new", "waiting"),
        "assignee": ("", str(staff_user.pk)),
        "category": ("", str(category.pk)),
    }
    assert case.version == 2


def test_case_update_refuses_a_stale_version_and_writes_nothing(staff_user, manager_user):
    case = make.case()
    seen = Case.objects.get(pk=case.pk)
    services.case_update(case=case, actor=manager_user, priority=Priority.URGENT)

    with pytest.raises(services.CaseConflict) as conflict:
        services.case_update(
            case=seen, actor=staff_user, expected_version=seen.version, status=Status.CLOSED
        )
    assert [c.field for c in conflict.value.changes] == ["priority"]
    case.refresh_from_db()
    assert case.status == Status.NEW
    assert case.priority == Priority.URGENT
    assert not CaseChange.objects.filter(field="status").exists()


def test_new_caller_becomes_a_contact_with_the_number_they_called_from():
    person = services.contact_find_or_create(
        name="  Petra  Bakker ", number="+31546123456", organisation_name="Bakkerij Bakker"
    )
    assert person.name == "Petra Bakker"
    assert person.organisation.name == "Bakkerij Bakker"
    assert list(person.phones.values_list("number", flat=True)) == ["+31546123456"]


def test_same_name_and_number_is_the_same_contact():
    first = services.contact_find_or_create(name="Petra Bakker", number="+31546123456")
    again = services.contact_find_or_create(name="petra bakker", number="+31546123456")
    assert again == first
    assert PhoneNumber.objects.count() == 1


def test_another_person_on_a_shared_number_is_a_new_contact():
    first = services.contact_find_or_create(name="Petra Bakker", number="+31546123456")
    colleague = services.contact_find_or_create(name="Kees Smit", number="+31546123456")
    assert colleague != first
    assert colleague.phones.get().number == "+31546123456"


def test_organisation_typed_by_name_reuses_an_existing_one_ignoring_case():
    almelo = make.organisation("Gemeente Almelo")
    person = services.contact_find_or_create(name="Ans", organisation_name="gemeente almelo")
    assert person.organisation == almelo
    assert Organisation.objects.count() == 1


def test_call_take_opens_a_phone_case_for_an_unknown_caller(staff_user):
    call = call_take(
        actor=staff_user,
        call=_call(),
        caller_name="Petra Bakker",
        organisation_name="Bakkerij Bakker",
        subject="Hoe vraag ik de Aspirant-status aan?",
        category=make.category("aspirant"),
    )
    case = call.case
    assert case.channel == "phone"
    assert case.contact.name == "Petra Bakker"
    assert case.organisation.name == "Bakkerij Bakker"
    assert case.created_by == staff_user
    assert case.status == Status.OPEN  # answered on the phone
    assert case.contact.phones.get().number == "+31612345678"


def test_call_take_adds_the_call_to_the_chosen_case_without_a_new_case(staff_user):
    org = make.organisation()
    existing = make.case(organisation=org)
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
