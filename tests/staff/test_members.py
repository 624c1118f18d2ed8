"""Managers manage staff on /staff/users/: only the two roles, never more rights than those."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.roles import MANAGER_GROUP, STAFF_GROUP
from staff.selectors import Role
from staff.services import StaffMemberError, staff_member_deactivate, staff_member_role_set
from tests.staff.conftest import link_in, sign_in

pytestmark = pytest.mark.django_db
User = get_user_model()

LIST = reverse("staff_member_list")
CREATE = reverse("staff_member_create")
MEMBER_PAGES = ["staff_member_role", "staff_member_active", "staff_member_password_mail",
                "staff_member_two_factor_reset"]  # fmt: skip


def groups_of(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def new_member(manager_client, **fields):
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "username": "fatima",
        "email": "fatima@pso-nederland.nl",
        "role": "staff",
        **fields,
    }
    return manager_client.post(CREATE, data)


@pytest.fixture
def second_manager(django_user_model):
    other = django_user_model.objects.create_user("ilse", password="ilse-pass-123", is_staff=True)
    other.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return other


# --- Who may --------------------------------------------------------------------------------


def test_staff_are_refused_every_page_and_action(staff_client, manager_user):
    assert staff_client.get(LIST).status_code == 403
    assert staff_client.get(CREATE).status_code == 403
    assert staff_client.post(CREATE, {"username": "x"}).status_code == 403
    for name in MEMBER_PAGES:
        url = reverse(name, args=[manager_user.pk])
        assert staff_client.post(url, {"role": "manager", "active": ""}).status_code == 403
    manager_user.refresh_from_db()
    assert manager_user.is_active and groups_of(manager_user) == {MANAGER_GROUP}


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_managers_see_everyone_with_their_role(manager_client, staff_user, manager_user):
    page = manager_client.get(LIST)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Sanne de Vries" in text and "Marco Jansen" in text
    roles = {member.username: member.role for member in page.context["members"]}
    assert roles == {"sanne": Role.STAFF, "marco": Role.MANAGER}


def test_the_menu_links_the_page_for_managers_only(manager_user, staff_user):
    manager, colleague = Client(), Client()
    manager.force_login(manager_user)
    colleague.force_login(staff_user)
    link = f'href="{LIST}"'

    assert link in manager.get(reverse("dashboard")).content.decode()
    assert link not in colleague.get(reverse("dashboard")).content.decode()


# --- Adding ---------------------------------------------------------------------------------


def test_a_new_staff_member_gets_the_role_and_nothing_more(manager_client):
    response = new_member(manager_client)

    assert response.status_code == 302
    member = User.objects.get(username="fatima")
    assert groups_of(member) == {STAFF_GROUP}
    assert (member.is_staff, member.is_superuser, member.is_active) == (False, False, True)
    assert not member.has_usable_password()
    assert member.user_permissions.count() == 0


def test_a_new_manager_gets_the_administration_but_is_no_superuser(manager_client):
    new_member(manager_client, role="manager")

    member = User.objects.get(username="fatima")
    assert groups_of(member) == {MANAGER_GROUP}
    assert (member.is_staff, member.is_superuser) == (True, False)


def test_a_forged_role_is_refused(manager_client):
    response = new_member(manager_client, role="superuser", is_superuser="on")

    assert response.status_code == 200
    assert not User.objects.filter(username="fatima").exists()


def test_the_new_member_chooses_a_password_from_the_mail_and_signs_in(manager_client):
    new_member(manager_client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima@pso-nederland.nl"]
    assert "fatima" in message.body
    newcomer = Client()
    set_password = newcomer.get(link_in(message.body), follow=True).redirect_chain[-1][0]
    password = "Zeeuwse-knoop-2026"
    newcomer.post(set_password, {"new_password1": password, "new_password2": password})
    assert sign_in(newcomer, "fatima", password).status_code == 302


def test_an_address_already_in_use_is_refused(manager_client, staff_user):
    staff_user.email = "fatima@pso-nederland.nl"
    staff_user.save()

    response = new_member(manager_client, email="Fatima@PSO-nederland.nl")

    assert response.status_code == 200
    assert "email" in response.context["form"].errors


# --- Roles ----------------------------------------------------------------------------------


def test_a_manager_changes_a_role_both_ways(manager_client, staff_user):
    url = reverse("staff_member_role", args=[staff_user.pk])

    manager_client.post(url, {"role": "manager"})
    staff_user.refresh_from_db()
    assert groups_of(staff_user) == {MANAGER_GROUP}
    assert (staff_user.is_staff, staff_user.is_superuser) == (True, False)

    manager_client.post(url, {"role": "staff"})
    staff_user.refresh_from_db()
    assert groups_of(staff_user) == {STAFF_GROUP}
    assert (staff_user.is_staff, staff_user.is_superuser) == (False, False)


def test_a_role_outside_the_two_is_refused(manager_client, staff_user):
    manager_client.post(reverse("staff_member_role", args=[staff_user.pk]), {"role": "admin"})

    staff_user.refresh_from_db()
    assert groups_of(staff_user) == {STAFF_GROUP}
    assert not staff_user.is_superuser


def test_the_last_manager_cannot_be_demoted(manager_client, manager_user):
    response = manager_client.post(
        reverse("staff_member_role", args=[manager_user.pk]), {"role": "staff"}, follow=True
    )

    manager_user.refresh_from_db()
    assert groups_of(manager_user) == {MANAGER_GROUP}
    assert "minstens één actieve manager" in response.content.decode()


def test_a_manager_may_step_down_while_another_remains(
    manager_client, manager_user, second_manager
):
    manager_client.post(reverse("staff_member_role", args=[manager_user.pk]), {"role": "staff"})

    manager_user.refresh_from_db()
    assert groups_of(manager_user) == {STAFF_GROUP}


def test_a_superuser_is_not_changed_from_this_page(manager_client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.nl", "root-pass-123")

    manager_client.post(reverse("staff_member_role", args=[root.pk]), {"role": "staff"})
    manager_client.post(reverse("staff_member_active", args=[root.pk]), {})

    root.refresh_from_db()
    assert root.is_superuser and root.is_active and groups_of(root) == set()


# --- Deactivating ---------------------------------------------------------------------------


def test_a_deactivated_member_is_signed_out_and_can_sign_in_again_once_reactivated(
    manager_client, staff_user
):
    colleague = Client()
    colleague.force_login(staff_user)
    url = reverse("staff_member_active", args=[staff_user.pk])

    manager_client.post(url, {})

    staff_user.refresh_from_db()
    assert not staff_user.is_active
    assert colleague.get(reverse("dashboard")).status_code == 302
    assert sign_in(Client(), "sanne", "sanne-pass-123").status_code == 200

    manager_client.post(url, {"active": "1"})
    staff_user.refresh_from_db()
    assert staff_user.is_active
    assert sign_in(Client(), "sanne", "sanne-pass-123").status_code == 302


def test_a_manager_cannot_deactivate_themselves(manager_client, manager_user, second_manager):
    response = manager_client.post(
        reverse("staff_member_active", args=[manager_user.pk]), {}, follow=True
    )

    manager_user.refresh_from_db()
    assert manager_user.is_active
    assert "Je kunt je eigen account niet uitschakelen" in response.content.decode()


def test_the_last_manager_cannot_be_deactivated_by_anyone(manager_user, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.nl", "root-pass-123")

    with pytest.raises(StaffMemberError):
        staff_member_deactivate(actor=root, member=manager_user)
    with pytest.raises(StaffMemberError):
        staff_member_role_set(actor=root, member=manager_user, role=Role.STAFF)

    manager_user.refresh_from_db()
    assert manager_user.is_active and groups_of(manager_user) == {MANAGER_GROUP}


# --- Mail and two-factor reset ---------------------------------------------------------------


def test_a_manager_sends_a_password_mail(manager_client, staff_user):
    staff_user.email = "sanne@pso-nederland.nl"
    staff_user.save()

    manager_client.post(reverse("staff_member_password_mail", args=[staff_user.pk]))

    assert [message.to for message in mail.outbox] == [["sanne@pso-nederland.nl"]]
    assert reverse("password_reset_confirm", args=["x", "y"]).split("x/")[0] in mail.outbox[0].body


def test_a_manager_resets_a_lost_phone(manager_client, staff_user):
    TOTPDevice.objects.create(user=staff_user, name="phone", confirmed=True)

    manager_client.post(reverse("staff_member_two_factor_reset", args=[staff_user.pk]))

    assert not TOTPDevice.objects.filter(user=staff_user).exists()
