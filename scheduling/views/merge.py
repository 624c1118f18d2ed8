"""Merging a case into another from the case page: choose, confirm, merge; a manager may undo.

Three steps, each a plain form (keyboard and screen-reader friendly, no JavaScript):
the page lists the caller's other open cases to choose from (or takes a reference),
then shows what will move and asks for confirmation, then merges and goes to the
survivor. The rules are in ``cases.services.merge``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors
from cases.forms import CaseMergeForm
from cases.models import Case, CaseMerge
from cases.services import MergeRefused, merge_refusal
from scheduling.callbacks.merging import cases_merge, cases_merge_undo
from scheduling.models import Callback
from staff.roles import manager_required

#: How many of the caller's other open cases the page offers to choose from.
SUGGESTIONS = 10


def _suggestions(case: Case) -> list[Case]:
    """Other open cases of the same contact or organisation: the likely duplicates."""
    if case.contact is None and case.organisation is None:
        return []
    others = selectors.open_cases_of_caller(contact=case.contact, organisation=case.organisation)
    return list(others.exclude(pk=case.pk).filter(merged_into__isnull=True)[:SUGGESTIONS])


def _moving(source: Case) -> dict[str, int]:
    """What the merge would move, counted, for the confirmation."""
    return {
        "calls": source.calls.count(),
        "notes": source.notes.count(),
        "mails": source.inbound_messages.count() + source.outbound_messages.count(),
        "callbacks": Callback.objects.filter(case=source).count(),
    }


@require_http_methods(["GET", "POST"])
def case_merge_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Choose the survivor (GET, or POST without ``confirm``), then merge (POST ``confirm``)."""
    try:
        source = selectors.case_for_detail(reference)
    except Case.DoesNotExist as exc:
        raise Http404(_("No case with this reference.")) from exc
    context = {"case": source, "suggestions": _suggestions(source)}
    if source.merged_into_id is not None:
        messages.info(request, _("This case has already been merged."))
        return redirect("case_detail", reference=source.reference)
    if request.method == "GET":
        form = CaseMergeForm(initial={"target": request.GET.get("target", "")[:30]})
        return render(request, "scheduling/case_merge.html", {**context, "form": form})

    form = CaseMergeForm(request.POST)
    if not form.is_valid():
        return render(request, "scheduling/case_merge.html", {**context, "form": form}, status=400)
    target = form.cleaned_data["target"]
    refusal = merge_refusal(source=source, target=target, actor=request.user)
    if refusal is None and request.POST.get("confirm") == "1":
        try:
            cases_merge(source=source, target=target, actor=request.user)
        except MergeRefused as exc:  # changed meanwhile (a colleague merged first)
            refusal = str(exc)
        else:
            messages.success(
                request,
                _("%(source)s was merged into %(target)s.")
                % {"source": source.reference, "target": target.reference},
            )
            return redirect("case_detail", reference=target.reference)
    if refusal is not None:
        form.add_error("target", refusal)
        return render(request, "scheduling/case_merge.html", {**context, "form": form}, status=400)
    return render(
        request,
        "scheduling/case_merge_confirm.html",
        {
            **context,
            "target": target,
            "moving": _moving(source),
            "clock_moves": source.created_at < target.created_at,
        },
    )


@manager_required
@require_POST
def case_merge_undo(request: HttpRequest, reference: str) -> HttpResponse:
    """Undo the merge of the case ``reference`` into its survivor (managers)."""
    source = get_object_or_404(Case, reference=reference)
    merge = CaseMerge.objects.filter(source=source, undone_at__isnull=True).first()
    if merge is None:
        messages.info(request, _("This case is not merged; there is nothing to undo."))
        return redirect("case_detail", reference=reference)
    try:
        cases_merge_undo(merge=merge, actor=request.user)
    except MergeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The merge of %(reference)s was undone; it is a case of its own again.")
            % {"reference": reference},
        )
    return redirect("case_detail", reference=reference)
