"""Everything the helpdesk stores, as text: every text and binary column of every table
(found through the database's introspection, so tables added later are searched too),
and every file under MEDIA_ROOT. A binary value that is a mail is also read decoded:
each part's content (base64, quoted-printable) and its headers' encoded words, as
column ``<name> (decoded)``, so a marker stored only in encoded form is found too."""

from __future__ import annotations

import email
import json
import re
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.policy import compat32
from pathlib import Path

from django.conf import settings
from django.db import connection


def _as_text(value: object) -> str | None:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("latin-1")
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):  # jsonb comes back parsed on PostgreSQL
        return json.dumps(value, ensure_ascii=False)
    return None


_MAIL_START = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")


def _header_text(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeError, LookupError, ValueError):
        return value


def mail_decoded(data: bytes) -> str:
    """The headers (encoded words decoded) and decoded parts of ``data`` if it is a mail."""
    if not _MAIL_START.match(data):
        return ""
    texts = []
    for part in email.message_from_bytes(data, policy=compat32).walk():
        texts.extend(_header_text(str(v)) for v in part.values())
        if not part.is_multipart():
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                texts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return "\n".join(texts)


def database_tables() -> list[str]:
    """Every table in the database, as its introspection lists them (not a list of ours)."""
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def stored_values() -> Iterator[tuple[str, str, str]]:
    """(table, column, text) for every non-empty text or binary value in the database."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in database_tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the schema
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _as_text(value)
                    if text:
                        yield table, column, text
                    binary = isinstance(value, (bytes, bytearray, memoryview))
                    if binary and (decoded := mail_decoded(bytes(value))):
                        yield table, f"{column} (decoded)", decoded
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for path in media.rglob("*"):
            if path.is_file():
                yield "file", str(path), path.read_bytes().decode("latin-1")


def digits_pattern(digits: str) -> re.Pattern[str]:
    """A number written with any separators between its digits (0546-98 76 54)."""
    return re.compile(r"\D{0,3}".join(digits))


def places_of(marker: str | re.Pattern[str]) -> list[tuple[str, str]]:
    """Where ``marker`` (a text, case-insensitive, or a pattern) is stored."""
    found = []
    for table, column, text in stored_values():
        hit = (
            marker.search(text)
            if isinstance(marker, re.Pattern)
            else marker.lower() in text.lower()
        )
        if hit:
            found.append((table, column))
    return sorted(set(found))
