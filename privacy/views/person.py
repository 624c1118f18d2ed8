"""A person's request: find them by address or number, export their data, erase it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from privacy.digest import person_digest
from privacy.forms import PersonEraseForm, PersonSearchForm
from privacy.kinds import labelled
from privacy.models import AccessKind
from privacy.requests import ErasureRefused, open_cases_of, person_erasure, person_export
from privacy.selectors import identifier_from, person_find, person_records
from privacy.services import access_record
from staff.client_ip import client_ip
from staff.roles import manager_required


def _record(request: HttpRequest, kind: str, term: str) -> None:
    access_record(
        user=request.user,
        kind=kind,
        ip=client_ip(request),
        path=request.path,
        person_digest=person_digest(*identifier_from(term)),
    )


@manager_required
@require_http_methods(["GET"])
def person_search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid():
        term = form.cleaned_data["q"]
        person = person_find(term)
        records = person_records(person)
        _record(request, AccessKind.PERSON_SEARCH, term)
        context.update(
            term=term,
            person=person,
            counts=(counts := records.counts()),
            counts_labelled=labelled(counts),
            cases=records.cases.select_related("organisation"),
            open_cases=open_cases_of(person),
        )
    return render(request, "privacy/person.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def person_export_zip(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return person_search(request)
    form = PersonSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["q"]))
        return redirect("privacy:person")
    term = form.cleaned_data["q"]
    archive = person_export(person=person_find(term), actor=request.user)
    _record(request, AccessKind.PERSON_EXPORT, term)
    filename = f"inzageverzoek-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(archive, as_attachment=True, filename=filename)


@manager_required
@require_http_methods(["GET", "POST"])
def person_erase_confirm(request: HttpRequest) -> HttpResponse:
    """GET: what erasing the person would change, and the confirmation; POST: erase."""
    if request.method == "GET":
        search = PersonSearchForm(request.GET or None)
        if not search.is_valid():
            return person_search(request)
        term = search.cleaned_data["q"]
        person = person_find(term)
        context = {
            "term": term,
            "counts": (counts := person_records(person).counts()),
            "counts_labelled": labelled(counts),
            "open_cases": open_cases_of(person),
            "form": PersonEraseForm(initial={"q": term}),
        }
        return render(request, "privacy/person_erase.html", context)
    form = PersonEraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to erase: it cannot be undone."))
        return redirect(
            f"{reverse('privacy:person_erase')}?{urlencode({'q': request.POST.get('q', '')})}"
        )
    term = form.cleaned_data["q"]
    try:
        handled = person_erasure(
            person=person_find(term),
            actor=request.user,
            close_open_cases=form.cleaned_data["close_open_cases"],
        )
    except ErasureRefused as refused:
        references = ", ".join(refused.references)
        if refused.reason == "legal_hold":
            text = _("Not erased: %(cases)s is under a legal hold.")
        else:
            text = _(
                "Not erased: %(cases)s is still open. Confirm closing the open cases to go on."
            )
        messages.error(request, text % {"cases": references})
        return redirect(f"{reverse('privacy:person_erase')}?{urlencode({'q': term})}")
    messages.success(
        request,
        _("Erased: %(records)s records anonymised. The request is recorded.")
        % {"records": handled.records},
    )
    return redirect("privacy:overview")
