"""Decoding text from mail: charsets declared wrongly or not at all, RFC 2047 words, NULs."""

from __future__ import annotations

import codecs
from email.header import decode_header

#: Charsets tried, in order, when the declared one is unknown or wrong.
_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")
#: Single-byte charsets that mail programs often declare for what is really UTF-8.
_OFTEN_MISDECLARED = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "cp1252"}


def storable(text: str) -> str:
    """``text`` as every database can store it: no NUL characters, no lone surrogates.

    PostgreSQL refuses NUL in text, and no database driver encodes the surrogates
    that stand for undecodable bytes; both occur in real mail.
    """
    return text.replace("\x00", "").encode("utf-8", errors="replace").decode("utf-8")


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset.strip().strip('"').lower()).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text from ``data`` in the declared charset, or the most likely one when that fails.

    Declared single-byte charsets are checked against UTF-8 first: bytes that are
    valid UTF-8 with non-ASCII characters are nearly never Latin-1 text.
    """
    declared = _codec(charset)
    if declared and (charset or "").lower() in _OFTEN_MISDECLARED and not data.isascii():
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (declared, *_FALLBACK_CHARSETS):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1", errors="replace")


def decode_header_text(raw: str | None) -> str:
    """A header value as readable text: RFC 2047 words decoded, whatever their state.

    Adjacent encoded words in the same charset are joined *before* decoding, so a
    multi-byte character split over two words (as some mailers do) survives.
    Raw 8-bit bytes (which the parser keeps as surrogates) are decoded as UTF-8,
    else Windows-1252.
    """
    if raw is None:
        return ""
    raw = str(raw)
    try:
        pieces = decode_header(raw)
    except Exception:
        pieces = [(raw, None)]
    joined: list[tuple[bytes, str | None]] = []
    for piece, charset in pieces:
        if charset is None:
            # Unencoded text: decode_header hands it back as str, or (next to
            # encoded words) as raw-unicode-escape bytes.
            if isinstance(piece, bytes):
                piece = piece.decode("raw-unicode-escape", errors="replace")
            data = piece.encode("utf-8", errors="surrogateescape")
        else:
            data = piece
        if joined and joined[-1][1] == charset:
            joined[-1] = (joined[-1][0] + data, charset)
        else:
            joined.append((data, charset))
    text = "".join(
        decode_bytes(data, charset) if charset else _plain(data) for data, charset in joined
    )
    # Folding whitespace inside a header is not content.
    return " ".join(text.split())


def _plain(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        raw = text.encode("utf-8", errors="surrogateescape")
        return decode_bytes(raw, None)
    return text
