"""Phone numbers: every Dutch notation of one number becomes one E.164 string.

06-12345678, 0546 123456, +31 546 123456 and 0031546123456 all name a number
that is stored once, so a caller is found whatever way the number is typed.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "NL"


def normalise(raw: str, region: str = DEFAULT_REGION) -> str:
    """The E.164 form of ``raw`` (Dutch numbers by default).

    Raises ``ValidationError`` with a message for people when ``raw`` is not a
    possible phone number.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="empty")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": text}
        ) from exc
    # Valid, not merely possible: "06-1234" parses (as +3161234) but is no number.
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": text}
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def try_normalise(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """Like ``normalise`` but None instead of an error (for search boxes)."""
    try:
        return normalise(raw, region)
    except ValidationError:
        return None


def display(e164: str) -> str:
    """A number as Dutch people write it: national format for NL, international otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 31:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
