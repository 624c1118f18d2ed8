"""The password policy: at least 12 characters, not common, not only digits, not like the name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

pytestmark = pytest.mark.django_db


def refusals(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {item.code for item in error.error_list}
    return set()


@pytest.fixture
def member():
    return get_user_model()(
        username="jvdberg", first_name="Joost", last_name="van den Berg", email="joost@pso.nl"
    )


def test_a_long_uncommon_password_is_accepted(member):
    assert refusals("fiets-langs-de-Vecht-7", member) == set()


def test_eleven_characters_are_too_few_and_twelve_are_enough(member):
    assert refusals("Vecht-fiets7", member) == set()  # 12
    assert refusals("Vecht-fiet7", member) == {"password_too_short"}  # 11


@pytest.mark.parametrize("common", ["qwerty123456", "1q2w3e4r5t6y", "qazwsxedcrfv"])
def test_common_passwords_are_refused(member, common):
    assert "password_too_common" in refusals(common, member)


def test_a_password_of_digits_only_is_refused(member):
    assert "password_entirely_numeric" in refusals("204867193520", member)


def test_a_password_like_the_name_or_address_is_refused(member):
    assert "password_too_similar" in refusals("vandenberg-joost", member)
    assert "password_too_similar" in refusals("joost@pso.nl1", member)


def test_the_length_refusal_is_dutch(member):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_password("Vecht-fiet7", member)

    assert refused.value.messages == ["Dit wachtwoord is te kort. De minimale lengte is 12 tekens."]
