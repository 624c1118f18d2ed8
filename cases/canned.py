"""Placeholders in canned answers, filled in for one case (pure: no models, no clock).

A placeholder is a name in braces. Unknown names are left as typed, so a typo
shows in the preview instead of vanishing from the mail.
"""

from __future__ import annotations

import re

#: The placeholders a canned answer may use, with what they become.
PLACEHOLDERS = {
    "naam": "the contact's name",
    "zaak": "the case reference",
    "antwoord_uiterlijk": "the promised answer time",
    "telefoonuren": "the next phone hours",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with every known ``{placeholder}`` replaced by its value."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
