"""Write paths of cases: changing a case with its trail, and finding or adding the caller."""

from __future__ import annotations

import pytest

from cases import services
from cases.models import (
    Case,
    CaseChange,
    Organisation,
    PhoneNumber,
    Priority,
    Status,
)
from tests.factories import CaseFactory, OrganisationFactory, category

pytestmark = pytest.mark.django_db


def test_case_update_writes_one_change_per_changed_field_with_raw_values(staff_user):
    case = CaseFactory()
    sroi = category("sroi")
    recorded = services.case_update(
        case=case,
        actor=staff_user,
        status=Status.WAITING,
        priority=Priority.NORMAL,  # unchanged: no entry
        assignee=staff_user,
        category=sroi,
    )
    rows = {c.field: (c.old_value, c.new_value) for c in CaseChange.objects.filter(case=case)}
    assert len(recorded) == 3
    assert rows == {
        "status": ("new", "waiting"),
        "assignee": ("", str(staff_user.pk)),
        "category": ("", str(sroi.pk)),
    }
    assert case.version == 2


def test_case_update_refuses_a_stale_version_and_writes_nothing(staff_user, manager_user):
    case = CaseFactory()
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
    almelo = OrganisationFactory(name="Gemeente Almelo")
    person = services.contact_find_or_create(name="Ans", organisation_name="gemeente almelo")
    assert person.organisation == almelo
    assert Organisation.objects.count() == 1
