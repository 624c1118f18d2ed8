"""Reading raw mail without a database: headers, charsets, automatic mail, safe HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.intake.html import safe_html
from cases.intake.parsing import (
    addresses,
    automatic_reason,
    decode_bytes,
    decode_header_text,
    message_ids,
    parse_message,
    scan_message_id,
)


def mail(headers: str, body: str = "Hallo") -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body + "\r\n").encode()


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("=?UTF-8?Q?caf=C3?=\r\n =?UTF-8?Q?=A9?=", "café"),
        ("=?utf-8?b?U3BvZWQ=?= vraag", "Spoed vraag"),
        ("=?x-unknown?Q?caf=E9?=", "café"),
        ("=?iso-8859-1?q?J=F6rg?=", "Jörg"),
        ("Caf\udcc3\udca9", "Café"),  # raw 8-bit UTF-8 in a header
        ("Caf\udce9", "Café"),  # raw 8-bit Latin-1 in a header
        ("=?utf-8?q?broken", "=?utf-8?q?broken"),
        (None, ""),
    ],
)
def test_header_text_is_decoded_whatever_its_state(raw, text):
    assert decode_header_text(raw) == text


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        ("één".encode(), "us-ascii", "één"),  # declared wrongly, really UTF-8
        ("één".encode("latin-1"), "utf-8", "één"),  # declared UTF-8, really Latin-1
        (b"\x80 5", "windows-1252", "€ 5"),
        (b"caf\xe9", "x-nonsense", "café"),
        (b"plain", None, "plain"),
    ],
)
def test_body_bytes_fall_back_to_the_likely_charset(data, charset, text):
    assert decode_bytes(data, charset) == text


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied"),
        ("Auto-Submitted: auto-generated; type=bounce", "Auto-Submitted: auto-generated"),
        ("Auto-Submitted: no", ""),
        ("Precedence: bulk", "Precedence: bulk"),
        ("Precedence: junk", "Precedence: junk"),
        ("Precedence: list", "Precedence: list"),
        ("Precedence: auto_reply", "Precedence: auto_reply"),
        ("Precedence: first-class", ""),
        ("X-Autoreply: yes", "X-Autoreply"),
        ("X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress"),
        ("List-Id: <nieuws.example.nl>", "List-Id"),
        ("Return-Path: <>", "Return-Path: <>"),
        ("Return-Path: <jan@almelo.nl>", ""),
    ],
)
def test_automatic_mail_is_recognised_by_its_headers(headers, reason):
    raw = mail(f"From: jan@almelo.nl\nSubject: x\n{headers}")
    assert automatic_reason(parse_message(raw)) == reason


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.nl", "postmaster@example.nl"])
def test_mail_from_the_mail_system_is_automatic(sender):
    assert automatic_reason(parse_message(mail(f"From: {sender}\nSubject: x"))) != ""


def test_multipart_report_is_automatic():
    raw = mail(
        'From: a@b.nl\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"',
        "--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--",
    )
    assert automatic_reason(parse_message(raw)) == "multipart/report"


def test_message_id_is_found_in_the_header_block_only():
    raw = mail("From: a@b.nl\nMessage-ID:\n <folded@b.nl>", "Message-ID: <in-body@b.nl>")
    assert scan_message_id(raw) == "folded@b.nl"
    assert scan_message_id(b"From: a@b.nl\r\n\r\nMessage-ID: <x@y>\r\n") == ""
    assert scan_message_id(b"\xff\xfe garbage without headers") == ""


def test_references_are_split_into_ids():
    assert message_ids("<a@x> <b@y>\r\n <c@z>") == ["a@x", "b@y", "c@z"]
    assert message_ids("bare@id") == ["bare@id"]
    assert message_ids("") == []


@pytest.mark.parametrize(
    "value", ["undisclosed-recipients:;", "<>", "Jan de Vries", "", '"@"@', "a@b"]
)
def test_unusable_addresses_are_dropped_not_raised(value):
    assert addresses([value]) == []


def test_attachment_name_with_a_path_keeps_only_the_file_name():
    raw = mail(
        'From: a@b.nl\nContent-Type: multipart/mixed; boundary="b"',
        "--b\r\nContent-Type: text/plain\r\n\r\nzie bijlage\r\n"
        "--b\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="..\\\\..\\\\windows\\\\evil.pdf"\r\n\r\n'
        "%PDF\r\n--b--",
    )
    parsed = parse_message(raw)
    assert [a.filename for a in parsed.attachments] == ["evil.pdf"]
    assert parsed.text.strip() == "zie bijlage"


def test_safe_html_strips_active_content_and_counts_blocked_images():
    result = safe_html(
        '<p onclick="x()">Hoi<script>alert(1)</script></p>'
        '<img src="https://t.example/p.gif"><img src="cid:logo@x">'
        '<a href="javascript:alert(2)">a</a><a href="https://pso.nl">b</a>'
    )
    assert "script" not in result.html and "onclick" not in result.html
    assert "javascript" not in result.html and "t.example" not in result.html
    assert 'href="https://pso.nl"' in result.html
    assert result.blocked_images == 1


# --- Whatever arrives, reading it never raises ----------------------------------------------

_FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "mail").glob("*.eml"))
_SAMPLES = [p.read_bytes() for p in _FIXTURES]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_without_an_exception(raw):
    parsed = parse_message(raw)
    automatic_reason(parsed)
    scan_message_id(raw)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(_SAMPLES))),
    st.integers(min_value=0, max_value=10_000),
    st.binary(min_size=1, max_size=40),
)
def test_damaged_real_messages_are_read_without_an_exception(index, at, junk):
    raw = _SAMPLES[index]
    at = at % len(raw)
    parsed = parse_message(raw[:at] + junk + raw[at + len(junk) :])
    automatic_reason(parsed)
    for attachment in parsed.attachments:
        assert isinstance(attachment.content, bytes)


@given(st.text(max_size=200))
def test_any_header_text_decodes(value):
    decode_header_text(value)
    addresses([value])
    message_ids(value)
