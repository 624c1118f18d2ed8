"""Forms of the organisation pages: an organisation's details, a PSO status, a register import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cases import phones, services
from cases.importing import ImportFileError, read_table
from cases.models import Organisation, OrganisationKind, PhoneNumber, PsoLevel, PsoStatus

#: Upload limit of the register import: a register export is a few hundred kB.
IMPORT_MAX_BYTES = 5 * 1024 * 1024


def parse_phone_lines(text: str) -> list[str]:
    """Phone numbers typed one per line, in E.164 form, without duplicates.

    Raises ``ValidationError`` naming every line that is not a phone number, so
    the user can fix them all at once.
    """
    numbers: list[str] = []
    errors: list[ValidationError] = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        try:
            number = phones.normalise(line)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if number not in numbers:
            numbers.append(number)
    if errors:
        raise ValidationError(errors)
    return numbers


class OrganisationForm(forms.ModelForm):
    """An organisation's details, with its phone numbers as one number per line."""

    # Typed with spaces or dots as often as not ("0817 5987"): longer than 8 here,
    # the model checks the digits once they are stripped.
    kvk_number = forms.CharField(
        label=_("KvK number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Register exports and people alike write "www.almelo.nl"; assume https.
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    phone_numbers = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, in any notation, e.g. 0546 541 111."),
    )

    class Meta:
        model = Organisation
        fields = ["name", "kvk_number", "kind", "city", "website", "email_domains", "notes"]
        widgets = {
            "email_domains": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["phone_numbers"] = "\n".join(
                phones.display(p.number) for p in self.instance.phones.all()
            )

    def clean_kvk_number(self) -> str:
        # People copy KvK numbers with spaces or dots ("1234 5678"); the digits count.
        value = self.cleaned_data.get("kvk_number", "")
        return "".join(ch for ch in value if ch not in " .")

    def clean_phone_numbers(self) -> list[str]:
        return parse_phone_lines(self.cleaned_data.get("phone_numbers", ""))

    @transaction.atomic
    def save(self, commit: bool = True) -> Organisation:
        organisation = super().save(commit=commit)
        if commit:
            organisation_phones_set(
                organisation=organisation, numbers=self.cleaned_data["phone_numbers"]
            )
        return organisation


def organisation_phones_set(*, organisation: Organisation, numbers: list[str]) -> None:
    """Make the organisation's own phone numbers exactly ``numbers`` (E.164), keeping labels."""
    existing = {p.number: p for p in organisation.phones.all()}
    for number, phone in existing.items():
        if number not in numbers:
            phone.delete()
    for number in numbers:
        if number not in existing:
            PhoneNumber.objects.create(organisation=organisation, number=number)


class PsoStatusForm(forms.ModelForm):
    """A new PSO status record; saved through ``services.pso_status_record``."""

    class Meta:
        model = PsoStatus
        fields = ["level", "effective_from", "valid_until", "reference", "note"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "valid_until": _(
                "Leave empty for a status without an end date. "
                "An Aspirant status then runs for two years from its start."
            ),
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        self.organisation = organisation
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        # A date typed by hand (dd-mm-jjjj) is accepted as well as the date picker's ISO form.
        for name in ("effective_from", "valid_until"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]

    def save(self, commit: bool = True) -> PsoStatus:
        data = self.cleaned_data
        self.instance = services.pso_status_record(
            organisation=self.organisation,
            level=data["level"],
            effective_from=data["effective_from"],
            valid_until=data.get("valid_until"),
            reference=data.get("reference", ""),
            note=data.get("note", ""),
        )
        return self.instance


class OrganisationFilterForm(forms.Form):
    """Search and filters of the organisation list (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name, KvK number, city or phone number"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *OrganisationKind.choices],
    )
    level = forms.ChoiceField(
        label=_("Current PSO level"),
        required=False,
        choices=[("", _("All levels")), *PsoLevel.choices],
    )
    expiring = forms.BooleanField(label=_("Only statuses that expire soon"), required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register export (CSV)"),
        help_text=_("Semicolon or comma separated, with a header row; see the import guide."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s bytes); at most %(max)s bytes."),
                code="too_large",
                params={"size": upload.size, "max": IMPORT_MAX_BYTES},
            )
        # Reading the file is quick; checking its rows is not (that is the worker's).
        # A file that cannot be read at all is refused here, at once.
        data = upload.read()
        upload.seek(0)
        try:
            read_table(data)
        except ImportFileError as exc:
            raise ValidationError(str(exc), code="unreadable") from exc
        return upload
