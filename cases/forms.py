"""Forms of the staff pages for calls and cases.

Forms only read and check what people typed; what happens next is in
``cases.services``. Every error is a message in the user's language, and a form
that fails is shown again with everything that was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calendars.span import FIRST_DAY, LAST_DAY, within_span
from cases import selectors
from cases.models import (
    CallDirection,
    CallOutcome,
    Case,
    Category,
    Contact,
    Organisation,
    Priority,
    Status,
)
from cases.phones import normalise
from cases.services import CallDetails
from cases.widgets import QuickSelect

#: A call cannot have started more than this far in the future (clocks differ a little).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_CALL_MINUTES = 600
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class MomentInput(forms.TextInput):
    """One text field for a date and time (one Tab stop, unlike the browser's seven-part
    picker), written the Dutch way: ``1-12-2026 09:30``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"autocomplete": "off", "spellcheck": "false", "size": 16, **(attrs or {})}
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.datetime):
            # The field hands over local time already (naive); an aware value is converted.
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return local.strftime(MOMENT_FORMAT)
        return super().format_value(value)


#: How a moment is shown in its field; what may be typed is wider (see ``MomentField``).
MOMENT_FORMAT = "%d-%m-%Y %H:%M"
_TIME_ONLY = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DAY_MONTH_TIME = re.compile(r"^(\d{1,2})-(\d{1,2})\s+(\d{1,2})[:.](\d{2})$")


class MomentField(forms.DateTimeField):
    """A date and time in Amsterdam time, typed in one field.

    Besides a full date and time (``1-12-2026 09:30``, ``2026-12-01 09:30`` or the
    browser's ``2026-12-01T09:30``) it takes ``09:30`` for today and ``1-12 09:30``
    for that day this year, so a call just finished costs a few keys at most.
    """

    widget = MomentInput
    input_formats = [
        MOMENT_FORMAT,
        "%d-%m-%Y %H.%M",
        LOCAL_INPUT_FORMAT,
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M",
    ]

    def to_python(self, value: Any) -> dt.datetime | None:
        if isinstance(value, str):
            text = " ".join(value.split())
            today = timezone.localdate()
            if match := _TIME_ONLY.match(text):
                value = f"{today:%d-%m-%Y} {match[1]}:{match[2]}"
            elif match := _DAY_MONTH_TIME.match(text):
                value = f"{match[1]}-{match[2]}-{today.year} {match[3]}:{match[4]}"
            else:
                value = text
        return super().to_python(value)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        return obj.get_full_name() or obj.get_username()


# --- Calls ---------------------------------------------------------------------------------------


class CallDetailsForm(forms.Form):
    """What happened on one phone call; shared by the log-a-call screen and the case page."""

    number = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Any notation, e.g. 06-12345678 or +31 546 123456."),
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=CallDirection.choices,
        initial=CallDirection.INBOUND,
        widget=QuickSelect,
    )
    started_at = MomentField(
        label=_("Started at"),
        help_text=_("Amsterdam time, e.g. 1-12-2026 09:30, or only 09:30 for today."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=0,
        max_value=MAX_CALL_MINUTES,
        required=False,
    )
    notes = forms.CharField(
        label=_("What was asked and answered"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CallOutcome.choices,
        initial=CallOutcome.ANSWERED,
        widget=QuickSelect,
    )
    callback_requested = forms.BooleanField(
        label=_("Caller asks to be called back"), required=False
    )
    callback_at = MomentField(
        label=_("Call back at (optional)"),
        required=False,
        help_text=_("The time the caller asked for; empty: the first free time in phone hours."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_number(self) -> str:
        raw = self.cleaned_data["number"]
        return normalise(raw) if raw.strip() else ""

    def clean_started_at(self) -> dt.datetime:
        started_at = self.cleaned_data["started_at"]
        if started_at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError(_("A call cannot start in the future."), code="future_call")
        if not within_span(timezone.localdate(started_at)):
            # A call of 1900 would open case PSO-1900-00001.
            raise forms.ValidationError(
                _("A call cannot start before %(year)s."),
                code="ancient_call",
                params={"year": FIRST_DAY.year},
            )
        return started_at

    def clean_callback_at(self) -> dt.datetime | None:
        callback_at = self.cleaned_data.get("callback_at")
        if callback_at is not None and not within_span(timezone.localdate(callback_at)):
            raise forms.ValidationError(
                _("Choose a callback time from %(first)s to %(last)s."),
                code="callback_out_of_span",
                params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
            )
        return callback_at

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("callback_requested") or data.get("callback_at"):
            # Stored as the call's outcome until callbacks are scheduled on their own.
            data["outcome"] = CallOutcome.CALLBACK
        needs_number = data.get("outcome") == CallOutcome.CALLBACK and not data.get("number")
        if needs_number and "number" not in self.errors:
            self.add_error(
                "number",
                forms.ValidationError(
                    _("A callback needs the number to call back."), code="callback_number"
                ),
            )
        return data

    def call_details(self) -> CallDetails:
        data = self.cleaned_data
        return CallDetails(
            number=data["number"],
            started_at=data["started_at"],
            duration=dt.timedelta(minutes=data.get("duration_minutes") or 0),
            notes=data["notes"],
            outcome=data["outcome"],
            direction=data["direction"],
        )


class CallerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Phone number, name, email, KvK number or organisation"),
        max_length=200,
        required=False,
    )


class CallForm(CallDetailsForm):
    """The log-a-call screen: the call, which case it belongs to, and who called."""

    contact = forms.ModelChoiceField(
        queryset=Contact.objects.all(), required=False, widget=forms.HiddenInput
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, widget=forms.HiddenInput
    )
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Case.objects.filter(status__in=Status.active()),
        to_field_name="reference",
        required=False,
        error_messages={
            "invalid_choice": _("That case is closed or does not exist; choose another.")
        },
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True), required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    caller_name = forms.CharField(label=_("Caller's name"), max_length=200, required=False)
    caller_email = forms.EmailField(label=_("Caller's email"), required=False)
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Found by its exact name, or added as a new organisation."),
    )

    field_order = [
        "case",
        "subject",
        "category",
        "priority",
        "notes",
        "outcome",
        "callback_requested",
        "callback_at",
        "number",
        "direction",
        "started_at",
        "duration_minutes",
        "caller_name",
        "caller_email",
        "organisation_name",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("case") is None and "case" not in self.errors and not data.get("subject"):
            self.add_error(
                "subject",
                forms.ValidationError(
                    _("A new case needs a subject: what is the call about?"),
                    code="subject_required",
                ),
            )
        return data

    def take_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``cases.services.call_take``."""
        data = self.cleaned_data
        return {
            "call": self.call_details(),
            "case": data["case"],
            "contact": data["contact"],
            "organisation": data["organisation"],
            "caller_name": data["caller_name"],
            "caller_email": data["caller_email"],
            "organisation_name": data["organisation_name"],
            "subject": data["subject"],
            "category": data["category"],
            "priority": data["priority"],
            "callback_at": data.get("callback_at"),
        }


# --- Cases ---------------------------------------------------------------------------------------


class CaseChangeForm(forms.Form):
    """Status, priority, category and assignee of a case, with the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    seen_at = forms.DateTimeField(widget=forms.HiddenInput)
    # The case page draws these on every load: options without a template each.
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, widget=QuickSelect)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, widget=QuickSelect)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, widget=QuickSelect
    )
    assignee = StaffChoiceField(
        label=_("Assigned to"),
        queryset=selectors.staff_users(),
        required=False,
        empty_label=_("Nobody"),
        widget=QuickSelect,
    )

    #: The editable fields, all tracked by ``cases.services.case_update``.
    CHANGEABLE = ("status", "priority", "category", "assignee")

    @classmethod
    def for_case(cls, case: Case, **kwargs: Any) -> CaseChangeForm:
        return cls(
            initial={
                "version": case.version,
                "seen_at": case.updated_at,
                "status": case.status,
                "priority": case.priority,
                "category": case.category_id,
                "assignee": case.assignee_id,
            },
            **kwargs,
        )

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.CHANGEABLE}


class AssignToMeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen_at = forms.DateTimeField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the helpdesk sees notes."),
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something in the note."), code="empty_note")
        return body


class CaseMergeForm(forms.Form):
    """Which case the one on screen is merged into (chosen from a list, or by its reference)."""

    target = forms.CharField(
        label=_("Reference of the case that carries on"),
        max_length=30,
        help_text=_("For example PSO-2026-00042. The case on screen is closed and points there."),
    )

    def clean_target(self) -> Case:
        reference = self.cleaned_data["target"].strip().upper()
        case = selectors.cases_for_lists().filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(
                _("There is no case with reference %(reference)s."),
                code="no_case",
                params={"reference": reference},
            )
        return case
