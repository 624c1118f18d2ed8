"""The admin of cases: every model opens for managers, and a case never changes without a trace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Case,
    CaseChange,
    Category,
    Channel,
    PhoneNumber,
    PsoLevel,
    PsoStatus,
    Status,
)
from tests.factories import (
    CaseFactory,
    ContactFactory,
    NoteFactory,
    OrganisationFactory,
    PhoneCallFactory,
)

pytestmark = pytest.mark.usefixtures("helpdesk_in_english")

CASES_MODELS = [m._meta.model_name for m in apps.get_app_config("cases").get_models()]


@pytest.fixture
def case(staff_user) -> Case:
    """A phone case of Anke Bos of Gemeente Almelo (Trede 3), with a note and a call."""
    org = OrganisationFactory(
        name="Gemeente Almelo",
        kvk_number="08175987",
        pso=PsoLevel.TREDE_3,
        pso__effective_from=dt.date(2024, 3, 1),
        pso__reference="",
    )
    contact = ContactFactory(name="Anke Bos", organisation=org, phone="+31546541234")
    case = CaseFactory(
        subject="Vraag over de Trede 3-hercertificering",
        actor=staff_user,
        organisation=org,
        contact=contact,
        category=Category.objects.first(),
    )
    NoteFactory(case=case, author=staff_user, body="Teruggebeld.")
    PhoneCallFactory(case=case, actor=staff_user, number="+31546541234")
    case.refresh_from_db()
    return case


def change_data(case: Case, **overrides) -> dict[str, str]:
    data = {
        "status": case.status,
        "priority": case.priority,
        "assignee": str(case.assignee_id or ""),
        "category": str(case.category_id or ""),
        "organisation": str(case.organisation_id or ""),
        "contact": str(case.contact_id or ""),
        "subject": case.subject,
    }
    for prefix in ("calls", "notes", "changes"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


@pytest.mark.parametrize("model_name", CASES_MODELS)
def test_a_manager_can_open_the_changelist_of_every_cases_model(manager_client, case, model_name):
    response = manager_client.get(reverse(f"admin:cases_{model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model_name", ["organisation", "contact", "psostatus", "case"])
def test_a_manager_can_search_the_main_models(manager_client, case, model_name):
    response = manager_client.get(reverse(f"admin:cases_{model_name}_changelist"), {"q": "almelo"})
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_staff_without_admin_access_are_kept_out(staff_client):
    response = staff_client.get(reverse("admin:cases_case_changelist"))
    assert response.status_code == 302


def test_a_phone_number_in_any_notation_finds_the_organisation(manager_client, case):
    response = manager_client.get(
        reverse("admin:cases_organisation_changelist"), {"q": "0546-541234"}
    )
    assert [o.name for o in response.context["cl"].result_list] == ["Gemeente Almelo"]


def test_an_admin_status_change_writes_a_case_change(manager_client, manager_user, case):
    url = reverse("admin:cases_case_change", args=[case.pk])
    assert manager_client.get(url).status_code == 200
    assert case.status == Status.OPEN  # the answered call opened it
    version = case.version

    response = manager_client.post(url, change_data(case, status=Status.WAITING))

    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.status == Status.WAITING
    change = CaseChange.objects.filter(case=case).latest("id")
    assert (change.field, change.old_value, change.new_value, change.actor) == (
        "status",
        Status.OPEN,
        Status.WAITING,
        manager_user,
    )
    assert case.version == version + 1


def test_saving_the_case_form_unchanged_writes_nothing(manager_client, case):
    before = CaseChange.objects.filter(case=case).count()
    response = manager_client.post(
        reverse("admin:cases_case_change", args=[case.pk]), change_data(case)
    )
    assert response.status_code == 302
    assert CaseChange.objects.filter(case=case).count() == before


def test_untracked_fields_are_read_only_in_the_case_admin(manager_client, case):
    url = reverse("admin:cases_case_change", args=[case.pk])
    manager_client.post(url, change_data(case, description="overwritten", pso_level_at_open="none"))
    case.refresh_from_db()
    assert case.description == ""
    assert case.pso_level_at_open == PsoLevel.TREDE_3


def test_a_case_added_in_the_admin_is_opened_through_the_service(manager_client, case):
    org = case.organisation
    response = manager_client.post(
        reverse("admin:cases_case_add"),
        {
            "subject": "Vraag via de beheeromgeving",
            "description": "",
            "channel": Channel.EMAIL,
            "category": "",
            "priority": "normal",
            "organisation": str(org.pk),
            "contact": "",
            "assignee": "",
            **{
                f"{p}-{k}": "0"
                for p in ("calls", "notes", "changes")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )

    assert response.status_code == 302
    added = Case.objects.get(subject="Vraag via de beheeromgeving")
    year = timezone.localdate().year
    assert added.reference == f"PSO-{year}-00002"
    assert added.pso_level_at_open == PsoLevel.TREDE_3


@pytest.mark.parametrize("model_name", ["case", "phonecall", "note", "casechange", "casecounter"])
def test_nothing_on_a_case_can_be_deleted_in_the_admin(manager_client, case, model_name):
    model = apps.get_model("cases", model_name)
    obj = model.objects.first()
    response = manager_client.get(reverse(f"admin:cases_{model_name}_delete", args=[obj.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("model_name", ["casechange", "casecounter", "note", "phonecall"])
def test_the_trail_is_read_only_in_the_admin(manager_client, case, model_name):
    model = apps.get_model("cases", model_name)
    obj = model.objects.first()
    url = reverse(f"admin:cases_{model_name}_change", args=[obj.pk])
    response = manager_client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert manager_client.post(url, {}).status_code == 403


def test_an_aspirant_status_added_in_the_admin_runs_two_years(manager_client, case):
    response = manager_client.post(
        reverse("admin:cases_psostatus_add"),
        {
            "organisation": str(case.organisation_id),
            "level": "aspirant",
            "effective_from": "2025-09-01",
            "valid_until": "",
            "reference": "ASP-ADMIN",
            "source": "manual",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert PsoStatus.objects.get(reference="ASP-ADMIN").valid_until == dt.date(2027, 9, 1)


def test_a_phone_number_added_in_the_admin_is_normalised_and_a_bad_one_refused(
    manager_client, case
):
    url = reverse("admin:cases_phonenumber_add")
    data = {"number": "0546 541 999", "label": "", "organisation": str(case.organisation_id)}
    assert manager_client.post(url, {**data, "contact": ""}).status_code == 302
    assert PhoneNumber.objects.filter(number="+31546541999").exists()

    response = manager_client.post(url, {**data, "number": "12", "contact": ""})
    assert response.status_code == 200
    assert "“12” is not a phone number." in response.content.decode()


def test_a_duplicate_kvk_number_is_refused_in_the_admin_naming_the_owner(manager_client, case):
    response = manager_client.post(
        reverse("admin:cases_organisation_add"),
        {
            "name": "Almelo (dubbel)",
            "kvk_number": "08175987",
            "kind": "gemeente",
            "city": "",
            "website": "",
            "email_domains": "",
            "notes": "",
            **{
                f"{p}-{k}": "0"
                for p in ("phones", "pso_statuses")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 200
    assert "already belongs to “Gemeente Almelo”" in response.content.decode()
