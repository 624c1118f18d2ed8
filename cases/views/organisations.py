"""Organisation pages: the list, one organisation with its PSO history, editing, the import."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.forms_organisations import (
    ImportUploadForm,
    OrganisationFilterForm,
    OrganisationForm,
    PsoStatusForm,
)
from cases.importing.jobs import import_confirm, import_progress, import_upload
from cases.models import Organisation, OrganisationImport
from cases.phones import display
from cases.selectors_organisations import (
    organisation_cases,
    organisations_filtered,
    status_history,
)
from staff.roles import manager_required

ORGANISATIONS_PER_PAGE = 25


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations with their PSO status today; search, filters, 25 to a page."""
    params = request.GET.copy()
    params.pop("page", None)
    form = OrganisationFilterForm(params or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = form.cleaned_data
    elif form.is_bound:
        messages.warning(request, _("Some filters were not understood and were left out."))
    queryset = organisations_filtered(
        today=timezone.localdate(),
        warning_days=settings.PSO_EXPIRY_WARNING_DAYS,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        level=filters.get("level", ""),
        expiring=filters.get("expiring", False),
    )
    page = Paginator(queryset, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/organisation_list.html",
        {
            "form": form,
            "page": page,
            "organisations": page.object_list,
            "query_string": params.urlencode(),
            "warning_days": settings.PSO_EXPIRY_WARNING_DAYS,
        },
    )


def _detail_context(organisation: Organisation, status_form: PsoStatusForm) -> dict[str, Any]:
    history, current = status_history(
        organisation,
        today=timezone.localdate(),
        warning_days=settings.PSO_EXPIRY_WARNING_DAYS,
    )
    contacts = organisation.contacts.prefetch_related("phones")
    return {
        "organisation": organisation,
        "history": history,
        "current_status": current,
        "status_form": status_form,
        "phones": [display(p.number) for p in organisation.phones.all()],
        "contacts": [(c, [display(p.number) for p in c.phones.all()]) for c in contacts],
        **organisation_cases(organisation),
    }


@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation: contact details, people, PSO history and its cases."""
    organisation = get_object_or_404(Organisation, pk=pk)
    return render(
        request,
        "cases/organisation_detail.html",
        _detail_context(organisation, PsoStatusForm(organisation=organisation)),
    )


@require_POST
@permission_required("cases.add_psostatus", raise_exception=True)
def pso_status_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an assessment outcome; with htmx only the history section is replaced."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = PsoStatusForm(request.POST, organisation=organisation)
    if form.is_valid():
        status = form.save()
        messages.success(
            request,
            _("Status %(level)s from %(date)s recorded.")
            % {
                "level": status.get_level_display(),
                "date": status.effective_from.strftime("%d-%m-%Y"),
            },
        )
        if not request.htmx:
            return redirect("organisation_detail", pk=organisation.pk)
        form = PsoStatusForm(organisation=organisation)
    context = _detail_context(organisation, form)
    if request.htmx:
        return render(request, "cases/_organisation_status_history.html", context)
    return render(request, "cases/organisation_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@permission_required("cases.add_organisation", raise_exception=True)
def organisation_add(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = OrganisationForm(request.POST) if posted else OrganisationForm()
    if posted and form.is_valid():
        organisation = form.save()
        messages.success(request, _("%(name)s added.") % {"name": organisation.name})
        return redirect("organisation_detail", pk=organisation.pk)
    return render(request, "cases/organisation_form.html", {"form": form, "organisation": None})


@require_http_methods(["GET", "POST"])
@permission_required("cases.change_organisation", raise_exception=True)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    posted = request.method == "POST"
    form = OrganisationForm(request.POST if posted else None, instance=organisation)
    if posted and form.is_valid():
        form.save()
        messages.success(request, _("Changes to %(name)s saved.") % {"name": organisation.name})
        return redirect("organisation_detail", pk=organisation.pk)
    return render(
        request, "cases/organisation_form.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
@manager_required
def organisation_import(request: HttpRequest) -> HttpResponse:
    """Upload a register export; the worker checks it and its page shows the dry run."""
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_upload(file_name=upload.name, data=upload.read(), user=request.user)
        return redirect("organisation_import_job", pk=job.pk)
    recent = OrganisationImport.objects.defer("data", "report").select_related("created_by")[:5]
    return render(
        request,
        "cases/organisation_import.html",
        {"form": form, "recent": recent},
    )


@require_http_methods(["GET", "POST"])
@manager_required
def organisation_import_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One import: its progress while the worker runs, then the dry run and the confirmation.

    htmx polls ``?progress=1`` while the worker runs; once it has finished, the
    answer tells the browser to reload the page, which then shows the outcome.
    """
    job = get_object_or_404(OrganisationImport.objects.defer("data"), pk=pk)
    if request.method == "POST":
        if import_confirm(pk=job.pk, digest=request.POST.get("digest", "")):
            messages.info(request, _("The import has started; this page shows how far it is."))
        else:
            messages.error(request, _("This file is not waiting for confirmation (any more)."))
        return redirect("organisation_import_job", pk=job.pk)
    progress = import_progress(job)
    if request.GET.get("progress"):
        if not job.running or progress.stalled:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "cases/_import_progress.html", {"job": job, "progress": progress})
    return render(
        request,
        "cases/organisation_import_job.html",
        {"job": job, "progress": progress, "report": job.report or None},
    )
