"""Changes managers make to who works at the helpdesk (the page /staff/users/).

Only the two roles are ever given: a role is its group, and a manager also gets
``is_staff`` because the administration needs it. ``is_superuser`` is never set, and
superusers themselves are left to the administration: a manager cannot change an
account that has more rights than their own.
"""

from __future__ import annotations

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils.translation import gettext as _

from staff.roles import MANAGER_GROUP
from staff.selectors import ROLE_GROUPS, Role, active_manager_count
from staff.services.two_factor import two_factor_remove

logger = logging.getLogger(__name__)


class StaffMemberError(Exception):
    """A change a manager may not make; the message says why, for the page."""


def staff_member_create(
    *,
    actor: AbstractBaseUser,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: Role,
) -> AbstractBaseUser:
    """A new active account with one role and no password yet (they set it from a mail)."""
    with transaction.atomic():
        member = get_user_model()(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_staff=role == Role.MANAGER,
            is_superuser=False,
        )
        member.set_unusable_password()
        member.save()
        member.groups.set([Group.objects.get(name=ROLE_GROUPS[role])])
    logger.info("staff: %s created %s as %s", actor, member, role.value)
    return member


def staff_member_role_set(*, actor: AbstractBaseUser, member: AbstractBaseUser, role: Role) -> None:
    """Give ``member`` exactly this role; the last active manager cannot be made staff."""
    _refuse_superuser(member)
    with transaction.atomic():
        _lock_roles()
        if role != Role.MANAGER and _is_last_manager(member):
            raise StaffMemberError(_("The helpdesk needs at least one active manager."))
        member.groups.remove(*Group.objects.filter(name__in=ROLE_GROUPS.values()))
        member.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        member.is_staff = role == Role.MANAGER
        member.save(update_fields=["is_staff"])
    logger.info("staff: %s set the role of %s to %s", actor, member, role.value)


def staff_member_deactivate(*, actor: AbstractBaseUser, member: AbstractBaseUser) -> None:
    """Close the account: it cannot sign in, and its open sessions end at their next request."""
    if member.pk == actor.pk:
        raise StaffMemberError(_("You cannot deactivate your own account."))
    _refuse_superuser(member)
    with transaction.atomic():
        _lock_roles()
        if _is_last_manager(member):
            raise StaffMemberError(_("The helpdesk needs at least one active manager."))
        member.is_active = False
        member.save(update_fields=["is_active"])
    logger.info("staff: %s deactivated %s", actor, member)


def staff_member_reactivate(*, actor: AbstractBaseUser, member: AbstractBaseUser) -> None:
    _refuse_superuser(member)
    member.is_active = True
    member.save(update_fields=["is_active"])
    logger.info("staff: %s reactivated %s", actor, member)


def staff_member_two_factor_reset(*, actor: AbstractBaseUser, member: AbstractBaseUser) -> None:
    """Remove the member's authenticator and backup codes (a lost phone); they set it up anew."""
    _refuse_superuser(member)
    two_factor_remove(user=member)
    logger.info("staff: %s reset the two-factor sign-in of %s", actor, member)


def staff_member_lockout_clear(*, username: str, ip_address: str | None = None) -> int:
    """Forget the failed sign-ins of ``username`` (from ``ip_address`` only, if given).

    Returns how many records of failures were removed.
    """
    return AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)


def _refuse_superuser(member: AbstractBaseUser) -> None:
    if member.is_superuser:
        raise StaffMemberError(_("Superusers are managed in the administration."))


def _lock_roles() -> None:
    # Role changes and deactivations take turns, so two managers demoting each other at
    # the same moment cannot both pass the "another manager remains" check.
    Group.objects.select_for_update().get(name=MANAGER_GROUP)


def _is_last_manager(member: AbstractBaseUser) -> bool:
    is_active_manager = member.is_active and member.groups.filter(name=MANAGER_GROUP).exists()
    return is_active_manager and active_manager_count() <= 1
