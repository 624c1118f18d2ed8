"""The privacy overview: the retention policy, the job's runs and a dry run, legal holds,
and anonymising one case by hand (with a confirmation naming what changes)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Case
from privacy.anonymise.case import CaseOnHold, case_anonymise
from privacy.forms import CaseAnonymiseForm, LegalHoldForm, RetentionPolicyForm
from privacy.kinds import labelled
from privacy.models import LegalHold, PersonRequest, RetentionRun
from privacy.retention import retention_preview
from privacy.selectors import case_anonymise_counts, retention_policy
from privacy.services import legal_hold_lift, legal_hold_set, retention_policy_update
from staff.roles import manager_required

OVERVIEW = "privacy:overview"


@manager_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    policy = retention_policy()
    form = RetentionPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        retention_policy_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The retention policy is saved."))
        return redirect(OVERVIEW)
    preview = None
    if request.GET.get("preview"):
        counts, references = retention_preview()
        preview = {"counts_labelled": labelled(counts), "references": references}
    context = {
        "form": form,
        "policy": policy,
        "preview": preview,
        "runs": RetentionRun.objects.all()[:10],
        "holds": LegalHold.objects.select_related("case", "set_by").order_by("-set_at"),
        "hold_form": LegalHoldForm(),
        "anonymise_form": CaseAnonymiseForm(),
        "requests": PersonRequest.objects.select_related("handled_by")[:20],
    }
    return render(request, "privacy/overview.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def hold_set(request: HttpRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST or None)
    if request.method == "GET":
        return render(request, "privacy/hold_form.html", {"form": form})
    if form.is_valid():
        hold = legal_hold_set(
            case=form.cleaned_data["case"], reason=form.cleaned_data["reason"], actor=request.user
        )
        messages.success(
            request, _("%(reference)s is under a legal hold.") % {"reference": hold.case.reference}
        )
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect(OVERVIEW)


@manager_required
@require_POST
def hold_lift(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_object_or_404(Case, reference=reference)
    if legal_hold_lift(case=case):
        messages.success(
            request, _("The legal hold on %(reference)s is lifted.") % {"reference": case.reference}
        )
    return redirect(OVERVIEW)


@manager_required
@require_http_methods(["GET", "POST"])
def case_anonymise_confirm(request: HttpRequest) -> HttpResponse:
    """GET names the case and counts what changes; POST with ``confirm`` does it."""
    form = CaseAnonymiseForm(request.POST or request.GET or None)
    if not form.is_bound:
        return render(request, "privacy/case_anonymise.html", {"form": form})
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return redirect(OVERVIEW)
    case = form.cleaned_data["case"]
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            case_anonymise(case=case)
        except CaseOnHold:
            messages.error(
                request, _("%(reference)s is under a legal hold.") % {"reference": case.reference}
            )
        else:
            messages.success(
                request, _("%(reference)s is anonymised.") % {"reference": case.reference}
            )
        return redirect(OVERVIEW)
    context = {"form": form, "case": case, "counts_labelled": labelled(case_anonymise_counts(case))}
    return render(request, "privacy/case_anonymise.html", context)
