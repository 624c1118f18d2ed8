"""The two roles are groups made by migrations, with exactly the permissions of staff.roles."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from staff.roles import MANAGER_GROUP, ROLE_APPS, STAFF_GROUP, is_manager

pytestmark = pytest.mark.django_db


def group_perms(name: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migrations_create_both_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {STAFF_GROUP, MANAGER_GROUP}


def test_staff_work_cases_but_only_view_categories(staff_user):
    assert staff_user.has_perm("cases.add_case")
    assert staff_user.has_perm("cases.change_case")
    assert staff_user.has_perm("cases.view_category")
    assert not staff_user.has_perm("cases.change_category")
    assert not staff_user.has_perm("cases.add_category")


def test_managers_change_categories(manager_user):
    assert manager_user.has_perm("cases.change_category")
    assert manager_user.has_perm("cases.add_category")
    assert manager_user.has_perm("cases.change_case")


@pytest.mark.parametrize("group", [STAFF_GROUP, MANAGER_GROUP])
@pytest.mark.parametrize(
    "perm",
    [
        "cases.delete_case",
        "cases.delete_casechange",
        "cases.change_casechange",
        "cases.add_casechange",
        "cases.delete_phonecall",
        "cases.delete_note",
    ],
)
def test_no_role_may_delete_cases_or_touch_the_audit_trail(group, perm):
    assert perm not in group_perms(group)


def test_staff_have_no_access_to_the_background_queue():
    assert not any(perm.startswith("django_q.") for perm in group_perms(STAFF_GROUP))
    assert "django_q.view_schedule" in group_perms(MANAGER_GROUP)


@pytest.mark.parametrize("app_label", ROLE_APPS)
def test_every_model_of_the_role_apps_is_covered_by_the_roles(app_label):
    """A model added without a migration that syncs the roles would be invisible to both."""
    staff, managers = group_perms(STAFF_GROUP), group_perms(MANAGER_GROUP)
    for model in apps.get_app_config(app_label).get_models():
        view = f"{app_label}.view_{model._meta.model_name}"
        assert view in staff, f"staff cannot view {model._meta.label}"
        assert view in managers, f"managers cannot view {model._meta.label}"


def test_staff_are_not_managers_and_managers_are(staff_user, manager_user):
    assert not is_manager(staff_user)
    assert is_manager(manager_user)
    assert not staff_user.is_staff
