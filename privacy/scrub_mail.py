"""Blanking one person's identifiers in another person's raw mail, encoded parts too (pure).

A colleague's reply that quotes the person carries their name and address three
ways: written plainly (headers, a 7bit body), as RFC 2047 encoded words in headers
(``=?utf-8?b?...?=``), and inside base64 or quoted-printable parts, where a plain
search over the bytes never sees them. Each encoded text part is decoded, scrubbed
and encoded again the same way; only the encoded text of a part that changed is
replaced in the bytes, so the rest of the original stays exactly as it arrived.
Parts that are not text (a PDF, an image) are left as they are: replacing words
inside them would break the file.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import quopri
import re
from email.message import Message
from email.policy import compat32

from privacy.scrub import scrub

Pattern = re.Pattern[str] | None

#: An RFC 2047 encoded word: =?charset?B|Q?text?=
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_ENCODINGS = ("base64", "quoted-printable")


def _codec(charset: str | None) -> str:
    name = charset or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:  # a charset Python does not know: every byte as one character
        return "latin-1"
    return name


def scrub_text_bytes(data: bytes, compiled: Pattern, charset: str | None = None) -> bytes:
    """Identifiers in text stored as bytes, read in its charset (UTF-8 unless said).

    Undecodable bytes are carried through unchanged (surrogate escapes), so a text
    that was not quite valid comes back byte for byte apart from the replacements.
    """
    if not data or compiled is None:
        return data
    codec = _codec(charset)
    text = data.decode(codec, "surrogateescape")
    scrubbed = scrub(text, compiled)
    if scrubbed == text:
        return data
    return scrubbed.encode(codec, "surrogateescape")


def _word_scrub(match: re.Match[str], compiled: Pattern) -> str:
    charset, kind, encoded = match.group(1), match.group(2).upper(), match.group(3)
    try:
        if kind == "B":
            raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
        else:
            raw = quopri.decodestring(encoded.replace("_", " ").encode("latin-1"), header=False)
    except (binascii.Error, ValueError):
        return match.group(0)
    scrubbed = scrub_text_bytes(raw, compiled, charset.split("*")[0])
    if scrubbed == raw:
        return match.group(0)
    # Written back as base64: no character of the result needs escaping.
    return f"=?{charset}?B?{base64.b64encode(scrubbed).decode('ascii')}?="


def _encode(data: bytes, cte: str, eol: str) -> str:
    if cte == "base64":
        text = base64.encodebytes(data).decode("ascii")
    else:
        text = quopri.encodestring(data).decode("latin-1")
    return text.replace("\r\n", "\n").replace("\n", eol)


def _part_replacements(message: Message, compiled: Pattern) -> list[tuple[str, str, Message]]:
    """(encoded text as stored, the same scrubbed and encoded again, the part) per changed part."""
    found = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
        if cte not in _ENCODINGS:
            continue
        encoded = part.get_payload()
        if not isinstance(encoded, str):
            continue
        decoded = part.get_payload(decode=True) or b""
        scrubbed = scrub_text_bytes(decoded, compiled, part.get_content_charset())
        if scrubbed == decoded:
            continue
        eol = "\r\n" if "\r\n" in encoded else "\n"
        stored = encoded.encode("ascii", "surrogateescape").decode("latin-1")
        found.append((stored, _encode(scrubbed, cte, eol), part))
    return found


def _replace_in_order(text: str, replacements: list[tuple[str, str, Message]]) -> str:
    position = 0
    for stored, new, _part in replacements:
        at = text.index(stored, position)  # ValueError when it is not there
        text = text[:at] + new + text[at + len(stored) :]
        position = at + len(new)
    return text


def scrub_mail(raw: bytes, compiled: Pattern) -> bytes:
    """``raw`` (a whole mail) with the identifiers replaced, plain, in headers and encoded."""
    if not raw or compiled is None:
        return raw
    text = raw.decode("latin-1")
    message = email.message_from_bytes(raw, policy=compat32)
    replacements = _part_replacements(message, compiled)
    try:
        text = _replace_in_order(text, replacements)
    except ValueError:  # an encoded text not found as stored (odd line breaks): write anew
        for _stored, new, part in replacements:
            part.set_payload(new)
        text = message.as_bytes(policy=compat32).decode("latin-1")
    text = _ENCODED_WORD.sub(lambda m: _word_scrub(m, compiled), text)
    return scrub(text, compiled).encode("latin-1")
