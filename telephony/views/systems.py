"""Managers' page of phone systems: create one (its token is shown once), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.roles import manager_required
from telephony.forms import PhoneSystemForm
from telephony.models import PhoneSystem
from telephony.services import phone_system_create, phone_system_revoke


@manager_required
def system_list(request: HttpRequest) -> HttpResponse:
    """The phone systems, and a form for a new one; after creating, its endpoint URLs once."""
    created = None
    if request.method == "POST":
        form = PhoneSystemForm(request.POST)
        if form.is_valid():
            system, token = phone_system_create(actor=request.user, **form.cleaned_data)
            created = {
                "system": system,
                "zammad_url": request.build_absolute_uri(reverse("cti:zammad", args=[token])),
                "voys_url": request.build_absolute_uri(reverse("cti:voys", args=[token])),
            }
            form = PhoneSystemForm()
    else:
        form = PhoneSystemForm()
    return render(
        request,
        "telephony/systems.html",
        {
            "systems": PhoneSystem.objects.select_related("created_by"),
            "form": form,
            "created": created,
        },
    )


@manager_required
@require_POST
def system_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    system = get_object_or_404(PhoneSystem, pk=pk)
    phone_system_revoke(system=system)
    messages.success(
        request, _("The token of %(name)s is revoked: its posts are refused.") % {"name": system}
    )
    return redirect("telephony_systems")
