"""The demo log-ins: one member of staff and one manager, with fixed passwords."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group

from staff.roles import MANAGER_GROUP, STAFF_GROUP


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    group: str
    is_staff: bool


#: Fixed demo log-ins, printed by ``manage.py seed_demo``. For demonstrations only.
ACCOUNTS = (
    DemoAccount("sanne", "pso-demo-sanne", "Sanne", "de Vries", STAFF_GROUP, False),
    DemoAccount("marco", "pso-demo-marco", "Marco", "Jansen", MANAGER_GROUP, True),
)


def demo_account_ensure(spec: DemoAccount) -> AbstractBaseUser:
    """The account of ``spec``, made if missing, and in its group either way.

    An existing account is left as it is (password included), apart from its group.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        user = user_model.objects.create_user(
            spec.username,
            password=spec.password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@pso-nederland.nl",
            is_staff=spec.is_staff,
        )
    user.groups.add(Group.objects.get(name=spec.group))
    return user
