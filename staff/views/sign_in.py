"""Signing in: the password (with axes' lockout), the two-factor code, a forgotten password."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from staff.client_ip import client_ip
from staff.forms import (
    PASSWORD_MAIL_SUBJECT,
    PASSWORD_MAIL_TEXT,
    SignInCodeForm,
    StaffPasswordResetForm,
)
from staff.selectors import has_two_factor
from staff.services import staff_member_lockout_clear, two_factor_verify
from staff.signals import TWO_FACTOR_SET_UP_KEY
from staff.throttle import throttle_allows

logger = logging.getLogger(__name__)


def _locked_out(request: HttpRequest) -> HttpResponse:
    # axes' middleware (last in MIDDLEWARE) answers a flagged request with the lockout
    # page, whatever the view returned: rendering the form first would be wasted work.
    request.axes_locked_out = True  # type: ignore[attr-defined]
    return HttpResponse(status=settings.AXES_HTTP_RESPONSE_CODE)


class SignInView(auth_views.LoginView):
    """Django's login; a locked-out attempt is answered without drawing the form again."""

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        if self.request.session.get(TWO_FACTOR_SET_UP_KEY):
            # Straight to the code, instead of via the page the middleware would refuse.
            query = urlencode({"next": self.get_success_url()})
            return HttpResponseRedirect(f"{reverse('login_code')}?{query}")
        return response

    def form_invalid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        if getattr(self.request, "axes_locked_out", False):
            return _locked_out(self.request)
        return super().form_invalid(form)


def next_url_from(request: HttpRequest) -> str:
    """The page to go on to: ``next`` when it is on this site, else the dashboard."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step: after the password, a code from the app (or a backup code)."""
    user = request.user
    next_url = next_url_from(request)
    if user.is_verified():
        return redirect(next_url)
    if not has_two_factor(user):  # switched off meanwhile, e.g. reset by a manager
        request.session[TWO_FACTOR_SET_UP_KEY] = False
        return redirect(next_url)

    credentials = {"username": user.get_username()}
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Codes count as sign-in attempts: wrong ones lock out like wrong passwords.
        if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials):
            logout(request)
            return _locked_out(request)
        check = two_factor_verify(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            otp_login(request, check.device)
            request.session.cycle_key()
            return redirect(next_url)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return _locked_out(request)
        if check.throttled:
            form.add_error("code", _("Too many wrong codes in a row. Wait a minute and try again."))
        else:
            form.add_error("code", _("This code is not right. Codes change every 30 seconds."))
    return render(request, "registration/login_code.html", {"form": form, "next": next_url})


class PasswordResetView(auth_views.PasswordResetView):
    """Forgot your password: at most ``PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR`` an address.

    Past the limit the page answers as always ("check your mail") but sends
    nothing, so a script learns nothing and mails nobody.
    """

    form_class = StaffPasswordResetForm
    email_template_name = PASSWORD_MAIL_TEXT
    subject_template_name = PASSWORD_MAIL_SUBJECT

    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        if throttle_allows(
            key=f"password-reset-ip:{client_ip(self.request)}",
            limit=settings.PASSWORD_RESET_REQUESTS_PER_IP_PER_HOUR,
            window_seconds=3600,
        ):
            return super().form_valid(form)
        logger.warning(
            "Password reset from %s held back: too many this hour", client_ip(self.request)
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        # Whoever chose the new password read the mail: their own earlier failures from this
        # address no longer count. Other addresses' failures, and those of the address
        # over other accounts, still do.
        staff_member_lockout_clear(
            username=form.user.get_username(), ip_address=client_ip(self.request)
        )
        return response
