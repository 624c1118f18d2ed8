"""Finding one person's identifiers in free text, and blanking them (pure rules).

Used where a record is shared with other people (a case thread two people wrote
in, an organisation's notes): only this person's name, addresses and numbers are
replaced there, so nothing of anyone else changes. A phone number is found in
any notation: +31 6 12345678, 06-12345678, 0031 (0)6 1234 5678 …
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

#: What replaces personal data. Stored as data, so it is one fixed text.
ANONYMISED = "[geanonimiseerd]"
#: Name parts shorter than this ("de", "van", "Li") are too common to blank alone.
MIN_NAME_PART = 3
_SEPARATORS = r"[\s\-./()]*"
_NAME_PARTICLES = frozenset({"van", "den", "der", "ten", "ter", "het", "de", "la", "le"})


@dataclass(frozen=True)
class Identifiers:
    """One person's name(s), email addresses and phone numbers (E.164)."""

    names: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.names or self.emails or self.numbers)


def _number_pattern(e164: str) -> str | None:
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(parsed)
    if not national:
        return None
    digits = _SEPARATORS.join(re.escape(d) for d in national)
    country = re.escape(str(parsed.country_code))
    # +31 / 0031 with an optional (0), or the trunk 0, or the bare national digits.
    prefix = rf"(?:(?:\+|00){_SEPARATORS}{country}{_SEPARATORS}(?:\(0\){_SEPARATORS})?|0)?"
    return rf"(?<![\d+]){prefix}{digits}(?!\d)"


def _name_patterns(names: Iterable[str]) -> list[str]:
    patterns: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        patterns.append(r"\b" + r"\s+".join(re.escape(p) for p in name.split()) + r"\b")
        for part in name.split():
            if len(part) >= MIN_NAME_PART and part.lower() not in _NAME_PARTICLES:
                patterns.append(rf"\b{re.escape(part)}\b")
    return patterns


def pattern(identifiers: Identifiers) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of ``identifiers`` (None: nothing to find)."""
    parts = [re.escape(e) for e in sorted(identifiers.emails, key=len, reverse=True) if e]
    parts += [p for p in (_number_pattern(n) for n in sorted(identifiers.numbers)) if p]
    # Whole names before their parts, longest first, so "Jan de Vries" goes as one.
    parts += sorted(_name_patterns(identifiers.names), key=len, reverse=True)
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def scrub(text: str, compiled: re.Pattern[str] | None) -> str:
    """``text`` with every identifier replaced by ``ANONYMISED``."""
    if not text or compiled is None:
        return text
    return compiled.sub(ANONYMISED, text)


def scrub_bytes(data: bytes, compiled: re.Pattern[str] | None) -> bytes:
    """The same for raw mail: identifiers written plainly in the bytes are replaced.

    Read as Latin-1 so every byte maps to one character and back unchanged.
    """
    if not data or compiled is None:
        return data
    text = data.decode("latin-1")
    return compiled.sub(ANONYMISED, text).encode("latin-1")


def addresses_without(header: str, emails: frozenset[str]) -> str:
    """An address list (``a@x.nl, B <b@y.nl>``) without the given addresses."""
    kept = [
        part.strip()
        for part in header.split(",")
        if part.strip() and not any(e in part.lower() for e in emails)
    ]
    return ", ".join(kept)
