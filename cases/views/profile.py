"""One's own settings: the name colleagues see, the signature below one's replies, and
one's saved filters of the case list; for managers, the helpdesk's signature."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors_workspace, services
from cases.forms_lists import HelpdeskSignatureForm, ProfileForm
from cases.models import Signature
from cases.replies import helpdesk_signature_for, helpdesk_signature_texts, signature_of
from staff.roles import manager_required


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show and save the signed-in person's name and signature."""
    user = request.user
    own = Signature.objects.filter(user=user).values_list("text", flat=True).first() or ""
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            services.staff_profile_update(user=user, **form.cleaned_data)
            messages.success(request, _("Your settings were saved."))
            return redirect("profile")
        status = 400
    else:
        form = ProfileForm(
            initial={"first_name": user.first_name, "last_name": user.last_name, "signature": own}
        )
        status = 200
    helpdesk_signature = ""
    if not own:
        helpdesk_signature = signature_of(user, get_language() or "nl")
    return render(
        request,
        "cases/profile.html",
        {
            "form": form,
            "helpdesk_signature": helpdesk_signature,
            "saved_filters": [
                s for s in selectors_workspace.saved_filters_for(user) if s.owner_id == user.pk
            ],
        },
        status=status,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def helpdesk_signature(request: HttpRequest) -> HttpResponse:
    """Show and save the helpdesk's signature (managers only)."""
    if request.method == "POST":
        form = HelpdeskSignatureForm(request.POST)
        if form.is_valid():
            services.helpdesk_signature_update(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The helpdesk's signature was saved."))
            return redirect("helpdesk_signature")
        status = 400
    else:
        form = HelpdeskSignatureForm(initial=helpdesk_signature_texts())
        status = 200
    return render(
        request,
        "cases/helpdesk_signature.html",
        {"form": form, "example": helpdesk_signature_for(request.user, get_language() or "nl")},
        status=status,
    )
