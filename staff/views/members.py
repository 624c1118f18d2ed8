"""Managing staff members (managers only): list, add, role, (de)activate, password mail, 2FA reset.

Every change goes through ``staff.services``; the pages only ask and report.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staff.forms import (
    StaffMemberActiveForm,
    StaffMemberCreateForm,
    StaffMemberRoleForm,
    password_mail_send,
)
from staff.roles import manager_required
from staff.selectors import Role, role_of, staff_member_list
from staff.services import (
    StaffMemberError,
    staff_member_create,
    staff_member_deactivate,
    staff_member_reactivate,
    staff_member_role_set,
    staff_member_two_factor_reset,
)

LIST = "staff_member_list"


@manager_required
@require_http_methods(["GET"])
def member_list(request: HttpRequest) -> HttpResponse:
    members = list(staff_member_list())
    for member in members:
        member.role = role_of(member)
    context = {"members": members, "roles": Role.choices}
    return render(request, "staff/member_list.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    form = StaffMemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = staff_member_create(
            actor=request.user,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            role=Role(data["role"]),
        )
        _report_password_mail(request, member, password_mail_send(user=member))
        return redirect(LIST)
    return render(request, "staff/member_form.html", {"form": form})


def _member_change(
    request: HttpRequest, pk: int, change: Callable[[AbstractBaseUser], str]
) -> HttpResponse:
    member = get_object_or_404(get_user_model(), pk=pk)
    try:
        done = change(member)
    except StaffMemberError as refused:
        messages.error(request, str(refused))
    else:
        if done:
            messages.success(request, done)
    return redirect(LIST)


@manager_required
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    form = StaffMemberRoleForm(request.POST)

    def change(member: AbstractBaseUser) -> str:
        if not form.is_valid():
            raise StaffMemberError(_("Choose one of the roles."))
        role = Role(form.cleaned_data["role"])
        staff_member_role_set(actor=request.user, member=member, role=role)
        return _("%(name)s is now: %(role)s.") % {"name": _name(member), "role": role.label}

    return _member_change(request, pk, change)


@manager_required
@require_POST
def member_active(request: HttpRequest, pk: int) -> HttpResponse:
    form = StaffMemberActiveForm(request.POST)
    form.is_valid()
    active = form.cleaned_data.get("active", False)

    def change(member: AbstractBaseUser) -> str:
        if active:
            staff_member_reactivate(actor=request.user, member=member)
            return _("%(name)s can sign in again.") % {"name": _name(member)}
        staff_member_deactivate(actor=request.user, member=member)
        return _("%(name)s is deactivated and can no longer sign in.") % {"name": _name(member)}

    return _member_change(request, pk, change)


@manager_required
@require_POST
def member_password_mail(request: HttpRequest, pk: int) -> HttpResponse:
    def change(member: AbstractBaseUser) -> str:
        if not member.is_active or not member.email:
            raise StaffMemberError(_("Only an active account with an email address gets the mail."))
        _report_password_mail(request, member, password_mail_send(user=member))
        return ""

    return _member_change(request, pk, change)


@manager_required
@require_POST
def member_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    def change(member: AbstractBaseUser) -> str:
        staff_member_two_factor_reset(actor=request.user, member=member)
        return _("The two-factor sign-in of %(name)s is removed; they set it up again.") % {
            "name": _name(member)
        }

    return _member_change(request, pk, change)


def _name(member: AbstractBaseUser) -> str:
    return member.get_full_name() or member.get_username()


def _report_password_mail(request: HttpRequest, member: AbstractBaseUser, sent: bool) -> None:
    if sent:
        messages.success(
            request,
            _("A mail with a link to choose a password went to %(email)s.")
            % {"email": member.email},
        )
    else:
        messages.warning(
            request,
            _("The mail to %(email)s could not be sent; try again later.")
            % {"email": member.email},
        )
