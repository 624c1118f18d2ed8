"""The filters of the case list, read from its query string (a django-filter FilterSet).

A value that is not understood (an unknown status, a colleague who does not
exist, an organisation number with letters in it) drops only its own filter: the
form keeps the error, the other filters still apply, and the page says which
filters were left out. It never answers with an error page or an empty list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.forms import HiddenInput
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.models import Case, Category, Channel, Organisation, Priority, PsoLevel, Status
from cases.selectors_text import cases_matching_text, text_matches_first
from cases.widgets import QuickSelect

#: The names the case list reads from its query string (what a saved filter may hold).
FILTER_NAMES = (
    "q",
    "status",
    "channel",
    "category",
    "priority",
    "assignee",
    "organisation",
    "pso_at_open",
    "pso_now",
    "waiting_days",
    "sort",
)

STATUS_ACTIVE = "active"
ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "unassigned"

#: The orders of the case list by their name in the query string (see
#: ``cases.selectors.cases_ordered``), as the order menu offers them.
SORTS = {
    "-created": _("Newest first"),
    "created": _("Oldest first"),
    "-priority": _("Urgent first"),
    "priority": _("Normal first"),
    "due": _("Due first"),
}


class CaseFilter(django_filters.FilterSet):
    """The case list's filters; ``qs`` is the filtered list in the chosen order."""

    q = django_filters.CharFilter(label=_("Search"), max_length=200, method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(STATUS_ACTIVE, _("Any open status")), *Status.choices],
        empty_label=_("Any"),
        method="filter_status",
        widget=QuickSelect,
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"),
        choices=Channel.choices,
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.all(),
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    priority = django_filters.ChoiceFilter(
        label=_("Priority"),
        choices=Priority.choices,
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    # The colleagues to choose from are filled in per request (see __init__).
    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"),
        choices=[],
        empty_label=_("Anyone"),
        method="filter_assignee",
        widget=QuickSelect,
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), widget=HiddenInput
    )
    pso_at_open = django_filters.ChoiceFilter(
        label=_("PSO level when opened"),
        field_name="pso_level_at_open",
        choices=PsoLevel.choices,
        empty_label=_("Any"),
        widget=QuickSelect,
    )
    pso_now = django_filters.ChoiceFilter(
        label=_("PSO level now"),
        choices=PsoLevel.choices,
        empty_label=_("Any"),
        method="filter_pso_now",
        widget=QuickSelect,
    )
    waiting_days = django_filters.NumberFilter(
        label=_("Waiting on the customer for more than (days)"),
        min_value=0,
        max_value=3650,
        method="filter_waiting_days",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=list(SORTS.items()),
        empty_label=None,
        initial=selectors.CASE_ORDER_DEFAULT,
        method="filter_sort",
        widget=QuickSelect,
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *, request: HttpRequest) -> None:
        #: The list with every filter but the free text, in its order (``first_rows``).
        self.before_text: QuerySet[Case] | None = None
        # Newest first unless another order is chosen (and understood).
        # The cases alone: the filters, the count and the page's ids need no joins and
        # no PSO annotations (the page's rows get theirs: ``cases.selectors_rows``).
        queryset = selectors.cases_ordered(Case.objects.all(), selectors.CASE_ORDER_DEFAULT)
        super().__init__(data, queryset, request=request)
        # Read once here rather than as callable choices, which would query again
        # each time the choices are read (checking the value, drawing the menu).
        people = [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in selectors.staff_users()
        ]
        self.filters["assignee"].extra["choices"] = [
            (ASSIGNEE_ME, _("Me")),
            (ASSIGNEE_NOBODY, _("Nobody (unassigned)")),
            *people,
        ]

    def filter_queryset(self, queryset: QuerySet[Case]) -> QuerySet[Case]:
        """Every filter, the free text last: it picks the first rows of the list as the
        other filters and the order leave it (``cases.selectors_text``)."""
        text = self.form.cleaned_data.get("q")
        cleaned = {name: v for name, v in self.form.cleaned_data.items() if name != "q"}
        for name, value in cleaned.items():
            queryset = self.filters[name].filter(queryset, value)
        self.before_text = queryset
        return self.filters["q"].filter(queryset, text)

    def filter_text(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Free text: see ``cases.selectors_text.cases_matching_text``."""
        return cases_matching_text(queryset, value)

    def first_rows(self, reach: int, ordered: bool) -> QuerySet[Any]:
        """At least the first ``reach`` cases of ``qs`` (``cases.paging.CappedPaginator``'s
        ``first``): with a free text, each of its look-ups limited to ``reach``
        (``cases.selectors_text.text_matches_first``); without one, ``qs`` itself."""
        queryset = self.qs
        text = self.form.cleaned_data.get("q") if self.is_bound and self.is_valid() else None
        if not text or self.before_text is None:
            return queryset
        return text_matches_first(self.before_text, text, reach=reach, ordered=ordered)

    def filter_status(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """One status, or "any open status": every status that is not resolved or closed."""
        if value == STATUS_ACTIVE:
            return queryset.filter(status__in=Status.active())
        return queryset.filter(status=value)

    def filter_assignee(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Whoever is looking ("me"), the unassigned cases ("nobody"), or one colleague."""
        if value == ASSIGNEE_ME:
            return queryset.filter(assignee=self.request.user)
        if value == ASSIGNEE_NOBODY:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=value)

    def filter_pso_now(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """The organisation's level today: see ``cases.selectors.cases_with_pso_level_now``."""
        return selectors.cases_with_pso_level_now(queryset, value)

    def filter_waiting_days(
        self, queryset: QuerySet[Case], name: str, value: Any
    ) -> QuerySet[Case]:
        """Cases waiting on the customer for more than ``value`` calendar days.

        The wait starts when the case was set to "waiting on customer" (the moment its
        first-answer clock was paused, ``sla_paused_since``).
        """
        since = timezone.now() - dt.timedelta(days=int(value))
        return queryset.filter(status=Status.WAITING, sla_paused_since__lt=since)

    def filter_sort(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """The chosen order: see ``cases.selectors.cases_ordered``."""
        return selectors.cases_ordered(queryset, value)

    def value(self, name: str) -> Any:
        """The understood value of one filter; None when it is empty, wrong or not given."""
        if not self.is_bound or name in self.errors:
            return None
        return self.form.cleaned_data.get(name) or None

    def current_sort(self) -> str:
        """The name of the order the list is in."""
        return self.value("sort") or selectors.CASE_ORDER_DEFAULT

    def rejected_labels(self) -> list[str]:
        """The labels of the filters whose values were not understood, in form order."""
        if not self.is_bound:
            return []
        return [str(self.form.fields[name].label) for name in self.errors]
