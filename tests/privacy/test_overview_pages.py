"""The privacy overview: the policy, the dry run, legal holds, anonymising one case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case
from privacy.models import LegalHold, RetentionPolicy
from privacy.scrub import ANONYMISED
from tests.factories import CaseFactory, ContactFactory


@pytest.fixture
def case(db):
    return CaseFactory(contact=ContactFactory(name="Ria Rap"), subject="Vraag van Ria Rap")


def test_a_manager_sets_the_policy(manager_client, manager_user):
    response = manager_client.post(
        reverse("privacy:overview"),
        {
            "anonymise_cases_after_months": 36,
            "remove_originals_after_months": 6,
            "anonymise_contacts_after_months": 36,
            "access_log_months": 24,
        },
    )
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(pk=1)
    assert (policy.anonymise_cases_after_months, policy.updated_by) == (36, manager_user)


@pytest.mark.parametrize("months", ["0", "-3", "9999", "twaalf"])
def test_a_period_out_of_range_is_refused_and_nothing_is_saved(manager_client, months):
    data = {
        "anonymise_cases_after_months": months,
        "remove_originals_after_months": 12,
        "anonymise_contacts_after_months": 24,
        "access_log_months": 12,
    }
    response = manager_client.post(reverse("privacy:overview"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["anonymise_cases_after_months"]
    assert not RetentionPolicy.objects.exists()


def test_the_dry_run_preview_shows_counts_on_the_page(manager_client, db):
    response = manager_client.get(reverse("privacy:overview"), {"preview": "1"})
    assert response.status_code == 200
    assert dict(response.context["preview"]["counts_labelled"])


def test_a_legal_hold_is_set_with_a_reason_and_lifted(manager_client, case):
    manager_client.post(
        reverse("privacy:hold_set"), {"case": case.reference.lower(), "reason": "Klacht"}
    )
    assert LegalHold.objects.get(case=case).reason == "Klacht"
    manager_client.post(reverse("privacy:hold_lift", args=[case.reference]))
    assert not LegalHold.objects.exists()


def test_a_hold_on_a_case_that_does_not_exist_gets_a_message(manager_client, db):
    response = manager_client.post(
        reverse("privacy:hold_set"), {"case": "PSO-1999-00001", "reason": "x"}, follow=True
    )
    assert "PSO-1999-00001" in str(list(response.context["messages"])[0])
    assert not LegalHold.objects.exists()


def test_anonymising_a_case_first_names_what_changes_then_does_it(manager_client, case):
    page = manager_client.get(reverse("privacy:case_anonymise"), {"case": case.reference})
    assert page.status_code == 200 and page.context["case"] == case
    assert Case.objects.get(pk=case.pk).subject == "Vraag van Ria Rap"
    manager_client.post(reverse("privacy:case_anonymise"), {"case": case.reference, "confirm": "1"})
    assert Case.objects.get(pk=case.pk).subject == ANONYMISED


def test_a_held_case_is_not_anonymised_by_hand(manager_client, manager_user, case):
    LegalHold.objects.create(case=case, reason="Klacht", set_at=case.created_at)
    manager_client.post(reverse("privacy:case_anonymise"), {"case": case.reference, "confirm": "1"})
    assert Case.objects.get(pk=case.pk).subject == "Vraag van Ria Rap"
