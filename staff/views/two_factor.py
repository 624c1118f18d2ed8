"""Setting up two-factor sign-in: every user can, members of OTP_REQUIRED_GROUPS must."""

from __future__ import annotations

import base64
from base64 import b32encode

import qrcode
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from staff.forms import TwoFactorConfirmForm
from staff.selectors import backup_codes_left, two_factor_device, two_factor_required
from staff.services import (
    two_factor_backup_codes_renew,
    two_factor_confirm,
    two_factor_device_start,
    two_factor_remove,
    two_factor_verify,
)
from staff.signals import TWO_FACTOR_SET_UP_KEY
from staff.views.sign_in import next_url_from

SETUP = "staff/two_factor_setup.html"
STATUS = "staff/two_factor_status.html"
CODES = "staff/two_factor_codes.html"


def qr_code_data_uri(text: str) -> str:
    """``text`` as a QR code: an SVG as a data: URI, which the page's CSP allows for images."""
    svg = qrcode.make(text, image_factory=SvgPathImage, box_size=8, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _secret_for_typing(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    # Shown once, in this response only (never_cache keeps it out of every cache).
    return render(request, CODES, {"codes": codes, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = next_url_from(request)
    device = two_factor_device(user)
    if device is not None:
        return _status(request, device, next_url)

    pending = two_factor_device_start(user=user)
    form = TwoFactorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor_confirm(user=user, code=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, two_factor_device(user))
            request.session[TWO_FACTOR_SET_UP_KEY] = True
            request.session.cycle_key()
            messages.success(request, _("Two-factor sign-in is on."))
            return _show_codes(request, codes, next_url)
        form.add_error("code", _("This code is not right. Enter the code the app shows now."))
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_code_data_uri(pending.config_url),
        "secret": _secret_for_typing(pending),
        "required": two_factor_required(user),
    }
    return render(request, SETUP, context)


def _status(request: HttpRequest, device: TOTPDevice, next_url: str) -> HttpResponse:
    """Set up already: new backup codes, or switching it off (not for those who must have it)."""
    user = request.user
    required = two_factor_required(user)
    form = TwoFactorConfirmForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "backup_codes":
            return _show_codes(request, two_factor_backup_codes_renew(user=user), next_url)
        if action == "remove" and not required:
            form = TwoFactorConfirmForm(request.POST)
            # A code from the app proves it is the owner switching it off, not a borrowed session.
            code = form.cleaned_data["code"] if form.is_valid() else ""
            if code and two_factor_verify(user=user, code=code).device is not None:
                two_factor_remove(user=user)
                request.session[TWO_FACTOR_SET_UP_KEY] = False
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor_setup")
            form.add_error("code", _("This code is not right. Enter the code the app shows now."))
    context = {
        "device": device,
        "codes_left": backup_codes_left(user),
        "required": required,
        "form": form,
        "next": next_url,
    }
    return render(request, STATUS, context)
