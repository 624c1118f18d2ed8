"""Logging phone calls while talking: find the caller, pick or open a case, save.

The screen must be quick from the keyboard alone: one search box finds the
caller by any notation of their number, by name, email, KvK number or
organisation; choosing a result shows their organisation's PSO status and open
cases; one form logs the call. Without JavaScript the same steps are plain links
and form posts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors
from cases.forms import CallDetailsForm, CallerSearchForm, CallForm
from cases.models import Case, Contact, Organisation
from cases.phones import display
from cases.views.cases import render_case_detail
from scheduling.callbacks.calls import call_take
from scheduling.callbacks.errors import CallbackError
from scheduling.views.callbacks import announce_callback_of_call, callback_refusal_text


def _picked(request: HttpRequest) -> tuple[Contact | None, Organisation | None]:
    """The contact and/or organisation chosen from the search results (GET or POST)."""
    params = request.POST if request.method == "POST" else request.GET
    contact = organisation = None
    contact_id, organisation_id = params.get("contact", ""), params.get("organisation", "")
    if contact_id.isdigit():
        contact = Contact.objects.select_related("organisation").filter(pk=contact_id).first()
    if contact is not None:
        organisation = contact.organisation
    elif organisation_id.isdigit():
        organisation = Organisation.objects.filter(pk=organisation_id).first()
    return contact, organisation


def _search_results(query: str) -> selectors.CallerResults:
    return selectors.caller_search(query)


def call_page_context(
    request: HttpRequest, *, form: CallForm, query: str, picked: tuple[Any, Any]
) -> dict[str, Any]:
    """What the log-a-call page shows: the search, the caller chosen, their open cases, the form.

    Also used by the form opened from the phone system's pop-up (``telephony``).
    """
    contact, organisation = picked
    context: dict[str, Any] = {
        "search_form": CallerSearchForm(initial={"q": query}),
        "results": _search_results(query)
        if query and contact is None and organisation is None
        else None,
        "query": query,
        "form": form,
        "contact": contact,
        "organisation": organisation,
        "pso_status": None,
        "open_cases": [],
        "chosen_case": form["case"].value() or "",
        "focus_case": (contact is not None or organisation is not None) and not form.errors,
    }
    if organisation is not None:
        context["pso_status"] = organisation.status_on(timezone.localdate())
    if contact is not None or organisation is not None:
        context["open_cases"] = list(
            selectors.open_cases_of_caller(contact=contact, organisation=organisation)
        )
    if contact is not None:
        context["contact_phones"] = [display(p.number) for p in contact.phones.all()]
    return context


@require_http_methods(["GET", "POST"])
def call_log(request: HttpRequest) -> HttpResponse:
    """The log-a-call screen (GET) and saving the call (POST)."""
    picked = _picked(request)
    contact, organisation = picked
    if request.method == "POST":
        query = request.POST.get("q", "")
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call = call_take(actor=request.user, **form.take_kwargs())
            except CallbackError as exc:
                # Nothing was saved; the form comes back with the free times to offer.
                form.add_error("callback_at", callback_refusal_text(exc))
            else:
                messages.success(
                    request,
                    _("Call logged on case %(reference)s.") % {"reference": call.case.reference},
                )
                announce_callback_of_call(request, call)
                return redirect("case_detail", reference=call.case.reference)
        return render(
            request,
            "cases/call_log.html",
            call_page_context(request, form=form, query=query, picked=picked),
        )

    query = " ".join(request.GET.get("q", "").split())[:200]
    number, _digits = selectors.phone_query(query)
    initial: dict[str, Any] = {"contact": contact, "organisation": organisation}
    if number:
        initial["number"] = display(number)
    elif contact is not None:
        first_phone = contact.phones.order_by("pk").first()
        if first_phone is not None:
            initial["number"] = display(first_phone.number)
    form = CallForm(initial=initial)
    return render(
        request,
        "cases/call_log.html",
        call_page_context(request, form=form, query=query, picked=picked),
    )


@require_GET
def caller_search(request: HttpRequest) -> HttpResponse:
    """Search results as the user types (htmx); without htmx, the full log-a-call page."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    if not request.htmx:
        return redirect(f"{reverse('call_log')}?{urlencode({'q': query})}")
    return render(
        request,
        "cases/_caller_results.html",
        {"results": _search_results(query), "query": query},
    )


@require_POST
def case_call_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Log another call on an existing case, from the case page."""
    case = get_object_or_404(Case, reference=reference)
    form = CallDetailsForm(request.POST, prefix="call")
    if not form.is_valid():
        return render_case_detail(request, case.reference, call_form=form)
    try:
        call = call_take(
            actor=request.user,
            call=form.call_details(),
            case=case,
            callback_at=form.cleaned_data.get("callback_at"),
        )
    except CallbackError as exc:
        form.add_error(None, callback_refusal_text(exc))
        return render_case_detail(request, case.reference, call_form=form)
    messages.success(request, _("Call logged on case %(reference)s.") % {"reference": reference})
    announce_callback_of_call(request, call)
    return redirect("case_detail", reference=case.reference)
