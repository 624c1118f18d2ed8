"""Forms of callbacks: booking one for a case, and recording how one went."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.phones import normalise
from scheduling.callbacks.errors import CallbackOutcome

#: Accepted ways to type a time: what browsers send for datetime-local, and Dutch notation.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M"]


class RequestedTimeField(forms.DateTimeField):
    """An optional time the caller asked to be called back at (Dutch time)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", DATETIME_FORMATS)
        kwargs.setdefault("label", _("Call back at (optional)"))
        kwargs.setdefault("help_text", _("Leave empty for the first free time in phone hours."))
        super().__init__(**kwargs)


class CallbackBookForm(forms.Form):
    number = forms.CharField(label=_("Phone number to call"), max_length=40)
    requested_at = RequestedTimeField()
    #: One of the free times offered after a refused request (ISO instants).
    slot = forms.ChoiceField(
        label=_("Or choose a free time"), required=False, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, choices: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = choices or []

    def clean_number(self) -> str:
        return normalise(self.cleaned_data["number"])


class CallbackOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=CallbackOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolve_case = forms.BooleanField(label=_("Resolve the case"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("resolve_case") and data.get("outcome") != CallbackOutcome.REACHED:
            raise ValidationError(_("A case can only be resolved when the caller was reached."))
        return data
