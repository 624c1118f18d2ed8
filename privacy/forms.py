"""Forms of the privacy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from privacy.models import RetentionPolicy
from privacy.selectors import NotAPerson, identifier_from


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = [
            "anonymise_cases_after_months",
            "remove_originals_after_months",
            "anonymise_contacts_after_months",
            "access_log_months",
        ]


class CaseReferenceField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(label=_("Case reference"), max_length=20, **kwargs)

    def clean(self, value: str) -> Case:
        reference = super().clean(value).strip().upper()
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(
                _("There is no case %(reference)s."), params={"reference": reference}
            )
        return case


class LegalHoldForm(forms.Form):
    case = CaseReferenceField()
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CaseAnonymiseForm(forms.Form):
    case = CaseReferenceField()


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Email address or phone number"),
        max_length=320,
        help_text=_("Any notation: 06-12345678, +31 6 1234 5678, 0031612345678."),
    )

    def clean_q(self) -> str:
        term = self.cleaned_data["q"].strip()
        try:
            identifier_from(term)
        except NotAPerson:
            raise forms.ValidationError(
                _("“%(term)s” is neither an email address nor a phone number."),
                params={"term": term},
            ) from None
        return term


class PersonEraseForm(PersonSearchForm):
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."), required=True)
    close_open_cases = forms.BooleanField(
        label=_("Close this person's open cases first."), required=False
    )


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(label=_("User name"), max_length=150, required=False)
    case = forms.CharField(label=_("Case reference"), max_length=20, required=False)
    person = forms.CharField(
        label=_("Person (email address or phone number)"), max_length=320, required=False
    )

    def clean_person(self) -> str:
        term = self.cleaned_data["person"].strip()
        if term:
            try:
                identifier_from(term)
            except NotAPerson:
                raise forms.ValidationError(
                    _("“%(term)s” is neither an email address nor a phone number."),
                    params={"term": term},
                ) from None
        return term
