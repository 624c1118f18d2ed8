"""Another person's raw mail loses one person's identifiers, encoded parts too (pure rules)."""

from __future__ import annotations

import base64
import email

from privacy.scrub import ANONYMISED, Identifiers, pattern
from privacy.scrub_mail import scrub_mail, scrub_text_bytes

JAN = pattern(
    Identifiers(
        names=frozenset({"Jan Jansen"}),
        emails=frozenset({"jan@almelo.nl"}),
        numbers=frozenset({"+31546987654"}),
    )
)
PDF = b"%PDF-1.4 Jan Jansen \x00\xff binary"


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode().replace("\n", "\r\n")


def mail(text: str, html_qp: str, *, subject: str = "Re: vraag") -> bytes:
    return (
        "From: Piet <piet@almelo.nl>\r\n"
        f"Subject: {subject}\r\n"
        'Content-Type: multipart/mixed; boundary="x"\r\n\r\n'
        '--x\r\nContent-Type: text/plain; charset="iso-8859-1"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{_b64(text.encode('latin-1'))}\r\n"
        '--x\r\nContent-Type: text/html; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: quoted-printable\r\n\r\n{html_qp}\r\n"
        "--x\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{_b64(PDF)}\r\n"
        "--x--\r\n"
    ).encode()


def parts(raw: bytes) -> list[bytes]:
    message = email.message_from_bytes(raw)
    return [p.get_payload(decode=True) for p in message.walk() if not p.is_multipart()]


def test_base64_and_quoted_printable_text_parts_are_decoded_scrubbed_and_encoded_again():
    raw = mail(
        "Jan Jansen (jan@almelo.nl) belt terug, groet Piet Müller\n",
        "<p>Ja=\r\nn Jan=73en: 0546=2D98 76 54, caf=C3=A9</p>",
    )
    text, html, pdf = parts(scrub_mail(raw, JAN))
    assert text.decode("latin-1") == f"{ANONYMISED} ({ANONYMISED}) belt terug, groet Piet Müller\n"
    assert html.decode() == f"<p>{ANONYMISED}: {ANONYMISED}, café</p>"
    assert pdf == PDF  # not text: words replaced inside would break the file


def test_encoded_words_in_headers_are_replaced_and_stay_encoded():
    raw = mail("niets", "niets", subject="Re: =?utf-8?q?vraag_van_Jan_Jansen?= =?utf-8?b?SmFu?=")
    out = scrub_mail(raw, JAN)
    subject = email.message_from_bytes(out)["Subject"]
    decoded = str(email.header.make_header(email.header.decode_header(subject)))
    assert "Jan" not in decoded and decoded.startswith("Re: vraag van ")


def test_a_mail_that_does_not_name_the_person_comes_back_byte_for_byte():
    raw = mail("Piet belt terug over de audit.\n", "<p>Piet</p>")
    assert scrub_mail(raw, JAN) == raw
    assert scrub_mail(raw, None) == raw


def test_only_the_parts_that_named_the_person_change():
    raw = mail("Jan Jansen belde.\n", "<p>Piet</p>")
    out = scrub_mail(raw, JAN)
    before, after = raw.split(b"\r\n--x\r\n"), out.split(b"\r\n--x\r\n")
    assert before[0] == after[0] and before[2:] == after[2:] and before[1] != after[1]


def test_text_bytes_keep_what_is_not_valid_in_their_charset():
    data = "Jan Jansen €".encode() + b"\xff"
    assert scrub_text_bytes(data, JAN) == f"{ANONYMISED} €".encode() + b"\xff"
    assert scrub_text_bytes(b"Jan", JAN, "no-such-charset") == ANONYMISED.encode()
