"""Case pages: the list with its filters, one case with its timeline, and changing it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import selectors, selectors_workspace, services
from cases.filters import FILTER_NAMES, SORTS, CaseFilter
from cases.forms import AssignToMeForm, CallDetailsForm, CaseChangeForm, NoteForm
from cases.forms_lists import SavedFilterForm
from cases.models import Case, CaseChange
from cases.paging import COUNT_CAP, CappedPaginator
from cases.phones import display
from cases.selectors_rows import case_rows, with_current_pso
from cases.timeline import case_timeline_page, conflict_summary
from cases.views.replies import reply_context, reply_form_for
from cases.views.saved_filters import saved_filter_links

CASES_PER_PAGE = 50
#: A free-text search counts no further than this: every case counted is looked up
#: by the text (about a millisecond per hundred cases at 200,000), and "more than
#: 200 cases" asks for a narrower search as well as "more than 1,000" does.
TEXT_COUNT_CAP = 200


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """All cases, filtered and sorted by the query string, 50 to a page."""
    params = request.GET.copy()
    params.pop("page", None)
    # Unbound without filters, so the form shows its defaults rather than "nothing chosen".
    filterset = CaseFilter(params or None, request=request)
    rejected = filterset.rejected_labels()
    if rejected:
        messages.warning(
            request,
            _("Some filters were not understood and were left out: %(fields)s.")
            % {"fields": ", ".join(rejected)},
        )
    order = filterset.qs.query.order_by
    paginator = CappedPaginator(
        filterset.qs,
        CASES_PER_PAGE,
        rows=lambda ids: with_current_pso(case_rows().filter(pk__in=ids).order_by(*order)),
        first=filterset.first_rows,
        cap=TEXT_COUNT_CAP if filterset.value("q") else COUNT_CAP,
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": filterset.form,
            "page": page,
            "cases": page.object_list,
            "organisation": filterset.value("organisation"),
            "sorts": SORTS,
            "current_sort": filterset.current_sort(),
            "saved_filters": saved_filter_links(request),
            "save_filter_form": SavedFilterForm(
                initial={"query": services.saved_filter_query(params, FILTER_NAMES)}
            ),
        },
    )


def render_case_detail(
    request: HttpRequest,
    reference: str,
    *,
    change_form: CaseChangeForm | None = None,
    note_form: NoteForm | None = None,
    call_form: CallDetailsForm | None = None,
    conflict: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, with any of its forms as the user filled them in."""
    try:
        case = selectors.case_for_detail(reference)
    except Case.DoesNotExist as exc:
        raise Http404(_("No case with this reference.")) from exc
    contact_phones = [display(p.number) for p in case.contact.phones.all()] if case.contact else []
    if call_form is None:
        call_form = CallDetailsForm(
            prefix="call", initial={"number": contact_phones[0] if contact_phones else ""}
        )
    latest = selectors_workspace.latest_received(case)
    context = {
        "case": case,
        "timeline_page": case_timeline_page(case),
        "linked_cases": selectors_workspace.linked_cases(case),
        "form": reply_form_for(case, request.user, latest),
        **reply_context(case, latest),
        "contact_phones": contact_phones,
        "change_form": change_form or CaseChangeForm.for_case(case),
        "assign_form": AssignToMeForm(
            initial={"version": case.version, "seen_at": case.updated_at}
        ),
        "note_form": note_form or NoteForm(),
        "call_form": call_form,
        "conflict": conflict,
        "presence_poll_seconds": settings.PRESENCE_POLL_SECONDS,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render_case_detail(request, reference)


@require_GET
def case_timeline_earlier(request: HttpRequest, reference: str) -> HttpResponse:
    """The timeline's entries before ``?before=`` (an ISO time), one window at a time.

    htmx asks for the entries alone and puts them above the ones shown; without
    JavaScript the same address is a page of its own.
    """
    case = get_object_or_404(Case, reference=reference)
    try:
        # A "+" in a query string arrives as a space.
        before = parse_datetime(request.GET.get("before", "").replace(" ", "+"))
    except ValueError:  # well-formed but impossible, such as month 13
        before = None
    if before is not None and timezone.is_naive(before):
        before = timezone.make_aware(before)
    if before is None:
        return HttpResponseBadRequest(
            _("“before” must be a date and time, such as 2026-12-01T09:30:00+01:00.")
        )
    context = {"case": case, "timeline_page": case_timeline_page(case, before=before)}
    if request.htmx:
        return render(request, "cases/_timeline_entries.html", context)
    return render(request, "cases/timeline_earlier.html", context)


def _rebased(form: CaseChangeForm, current: Case, others: list[CaseChange]) -> CaseChangeForm:
    """The user's form on top of the case as it is now.

    A field the other person changed and the user left alone takes the other
    person's value; a field the user changed keeps the user's value. The version
    becomes the current one, so saving again is a deliberate choice, made with
    the other change in view.
    """
    seen = {}
    for change in others:
        seen.setdefault(change.field, change.old_value)
    now = {
        "status": current.status,
        "priority": current.priority,
        "category": str(current.category_id or ""),
        "assignee": str(current.assignee_id or ""),
    }
    data = form.data.copy()
    for name in CaseChangeForm.CHANGEABLE:
        if name in seen and data.get(name, "") == seen[name]:
            data[name] = now[name]
    data["version"] = str(current.version)
    data["seen_at"] = current.updated_at.isoformat()
    return CaseChangeForm(data)


@require_POST
def case_change(request: HttpRequest, reference: str) -> HttpResponse:
    """Change status, priority, category or assignee, refusing to overwrite a newer change.

    A merged case is not changed: its work goes on on the case it was merged into.
    """
    case = get_object_or_404(Case, reference=reference)
    if case.merged_into_id is not None:
        messages.error(request, _("This case was merged; change the case it was merged into."))
        return redirect("case_detail", reference=reference)
    if request.POST.get("assign_to_me"):
        form: CaseChangeForm | AssignToMeForm = AssignToMeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The page was out of date; please try again."))
            return redirect("case_detail", reference=reference)
        changes: dict[str, Any] = {"assignee": request.user}
    else:
        form = CaseChangeForm(request.POST)
        if not form.is_valid():
            return render_case_detail(request, reference, change_form=form)
        changes = form.changes()

    # The case as the user saw it: a refused save then lists what changed since.
    case.updated_at = form.cleaned_data["seen_at"]
    try:
        recorded = services.case_update(
            case=case,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
            **changes,
        )
    except services.CaseConflict as conflict:
        change_form = (
            _rebased(form, conflict.case, conflict.changes)
            if isinstance(form, CaseChangeForm)
            else None
        )
        return render_case_detail(
            request,
            reference,
            change_form=change_form,
            conflict=conflict_summary(conflict.changes),
            status=409,
        )
    if recorded:
        messages.success(request, _("Case %(reference)s updated.") % {"reference": reference})
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect("case_detail", reference=reference)


@require_POST
def case_note_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Add an internal note to the case's timeline."""
    case = get_object_or_404(Case, reference=reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render_case_detail(request, reference, note_form=form)
    services.note_add(case=case, author=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("Note added to %(reference)s.") % {"reference": reference})
    return redirect("case_detail", reference=reference)
