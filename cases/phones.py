"""Phone numbers: every Dutch notation of one number becomes one E.164 string.

06-12345678, 0546 123456, +31 546 123456 and 0031546123456 all name a number
that is stored once, so a caller is found whatever way the number is typed.
"""

from __future__ import annotations

from functools import lru_cache

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


#: Parsing a number costs about as much as drawing the rest of a timeline entry; a page
#: shows the same few numbers again and again.
@lru_cache(maxsize=4096)
def display(e164: str) -> str:
    """A number as Dutch people write it: national format for NL, international otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 31:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def fragment_start(text: str) -> str | None:
    """The E.164 beginning that a number typed from its front names, or None.

    "06 12" → "+31612", "+31 6 12" and "0031 6 12" → "+31612": a fragment that starts
    with 0, 00 or + is the start of a number as Dutch people or the rest of the world
    write it. A fragment without one ("12345678") is read as the end of a number
    instead (see ``cases.selectors_phones``).
    """
    stripped = (text or "").strip()
    digits = "".join(ch for ch in stripped if ch.isdigit())
    if stripped.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+31" + digits[1:]
    return None
