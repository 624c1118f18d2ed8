"""Who took a call (telephony.selectors.staff_for_answer): the extension, else the login,
else the one name the phone system sends, and only where that finds one person."""

from __future__ import annotations

import pytest

from telephony.models import Extension
from telephony.selectors import staff_for_answer
from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_extension_names_its_user_first():
    sanne = StaffUserFactory(username="sanne", first_name="Sanne", last_name="de Vries")
    other = StaffUserFactory(username="201")  # a login equal to the extension loses
    Extension.objects.create(user=sanne, number="201")

    assert staff_for_answer("201", ["Piet Jansen"]) == sanne
    assert other != sanne


def test_an_extension_of_someone_no_longer_active_falls_back_to_the_login():
    gone = StaffUserFactory(is_active=False)
    Extension.objects.create(user=gone, number="201")
    login = StaffUserFactory(username="201")

    assert staff_for_answer("201", []) == login


def test_the_login_or_email_of_a_staff_member_any_case():
    sanne = StaffUserFactory(username="sanne", email="Sanne@PSO.nl")

    assert staff_for_answer("sanne", []) == sanne
    assert staff_for_answer("sanne@pso.nl", []) == sanne


def test_a_login_of_someone_not_on_the_staff_is_nobody():
    UserFactory(username="klant")

    assert staff_for_answer("klant", []) is None


def test_the_one_name_sent_when_the_number_finds_nobody():
    sanne = StaffUserFactory(first_name="Sanne", last_name="de Vries")

    assert staff_for_answer("999", ["sanne DE VRIES"]) == sanne
    assert staff_for_answer("", ["Sanne de Vries"]) == sanne


def test_a_name_two_staff_members_share_is_nobody():
    StaffUserFactory(first_name="Jan", last_name="Jansen")
    StaffUserFactory(first_name="Jan", last_name="Jansen")

    assert staff_for_answer("", ["Jan Jansen"]) is None


def test_two_names_sent_is_nobody_in_particular():
    StaffUserFactory(first_name="Jan", last_name="Jansen")

    assert staff_for_answer("", ["Jan Jansen", "Piet Pietersen"]) is None
