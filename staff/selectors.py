"""Reading who works at the helpdesk: the staff list, a member's role, their two-factor state."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.roles import MANAGER_GROUP, STAFF_GROUP, is_manager


class Role(models.TextChoices):
    """The two roles a manager can give; each is one group (``staff.roles``)."""

    STAFF = "staff", _("Helpdesk staff")
    MANAGER = "manager", _("Manager")


ROLE_GROUPS = {Role.STAFF: STAFF_GROUP, Role.MANAGER: MANAGER_GROUP}


def role_of(user: AbstractBaseUser) -> Role | None:
    """The member's role from their groups (prefetched by :func:`staff_member_list`)."""
    names = {group.name for group in user.groups.all()}
    if MANAGER_GROUP in names:
        return Role.MANAGER
    if STAFF_GROUP in names:
        return Role.STAFF
    return None


def staff_member_list() -> QuerySet[AbstractBaseUser]:
    """Everyone who can have an account here, active first, with groups and two-factor state."""
    return (
        get_user_model()
        .objects.prefetch_related("groups")
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("-is_active", "first_name", "last_name", "username")
    )


def active_manager_count() -> int:
    """Active members of the Managers group (superusers are not counted: they have no role)."""
    return get_user_model().objects.filter(groups__name=MANAGER_GROUP, is_active=True).count()


def has_two_factor(user: AbstractBaseUser) -> bool:
    """Whether the user has a confirmed code generator or backup codes."""
    return user_has_device(user, confirmed=True)


def two_factor_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def two_factor_pending_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The authenticator being set up: shown as a QR code, not confirmed by a code yet."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()


def backup_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``OTP_REQUIRED_GROUPS`` makes this user set up two-factor sign-in.

    Asked on every request of a session without a code, so it costs no query for the
    Managers group: :func:`staff.roles.is_manager` caches its answer on the user, and the
    page's own role check then reuses it.
    """
    groups = settings.OTP_REQUIRED_GROUPS
    if not groups or not user.is_authenticated:
        return False
    if MANAGER_GROUP in groups and is_manager(user):
        return True
    others = [name for name in groups if name != MANAGER_GROUP]
    if not others:
        return False
    cached = getattr(user, "_two_factor_required", None)
    if cached is None:
        cached = user.groups.filter(name__in=others).exists()
        user._two_factor_required = cached  # type: ignore[union-attr]
    return cached
