"""Two-factor sign-in: setting up an authenticator app, backup codes, checking a code."""

from __future__ import annotations

from dataclasses import dataclass

import django_otp
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.selectors import two_factor_pending_device

#: Backup codes made at a time; each works once.
BACKUP_CODE_COUNT = 10
#: The authenticator app shows codes of this many digits; anything else is a backup code.
TOTP_DIGITS = 6


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: the device that accepted it, or whether it was throttled."""

    device: Device | None
    throttled: bool = False


def two_factor_device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator to show as a QR code: the same one until it is confirmed."""
    device = two_factor_pending_device(user)
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator", confirmed=False, digits=TOTP_DIGITS
        )
    return device


def two_factor_confirm(*, user: AbstractBaseUser, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code it shows; returns new backup codes.

    ``None`` when the code is wrong (or the device is throttled after wrong codes).
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return two_factor_backup_codes_renew(user=user)


def two_factor_backup_codes_renew(*, user: AbstractBaseUser) -> list[str]:
    """New backup codes; the old ones stop working."""
    with transaction.atomic():
        device = StaticDevice.objects.filter(user=user).first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_remove(*, user: AbstractBaseUser) -> None:
    """Switch two-factor sign-in off for ``user``: the app and the backup codes go."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_verify(*, user: AbstractBaseUser, code: str) -> CodeCheck:
    """Check a sign-in code against the user's app (six digits) or backup codes (the rest).

    Only the device the code's shape points to is tried, so a mistyped app code never
    counts against the backup codes. Each device slows down after wrong codes
    (django-otp's throttling); the lockout by account and address comes on top.
    """
    code = _normalise(code)
    if code.isdigit() and len(code) == TOTP_DIGITS:
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.devices_for_user(user, confirmed=True))
    for device in devices:
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(device=None, throttled=True)
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return CodeCheck(device=verified)
    return CodeCheck(device=None)


def _normalise(code: str) -> str:
    # People type codes with spaces ("123 456") or in capitals from a printout.
    return "".join(code.split()).lower()
