"""Folding quoted history: what Dutch and English mail clients put under a reply."""

from __future__ import annotations

import pytest

from cases.intake.quoting import quote_lines, split_quoted

GMAIL_EN = """Thanks, the form is attached.

Petra

On Tue, Dec 1, 2026 at 10:15 AM PSO Helpdesk <info@pso-nederland.nl> wrote:
> Dear Petra,
>
> Could you send us the form?
"""

GMAIL_NL = """Hierbij het formulier.

Op di 1 dec 2026 om 10:15 schreef PSO Helpdesk <info@pso-nederland.nl>:
> Beste Petra,
> Kunt u het formulier sturen?
"""

GMAIL_WRAPPED = """Yes, that is right.

On Tue, Dec 1, 2026 at 10:15 AM Petra de Vries from the municipality of Almelo <
petra@sw-twente.nl> wrote:
> Is this right?
"""

THUNDERBIRD_NL = """Dank u wel.

Op 01-12-2026 om 10:15 schreef PSO Helpdesk:
> Uw aanvraag is ontvangen.
"""

APPLE_MAIL_NL = """Prima, tot dan.

> Op 1 dec. 2026, om 10:15 heeft PSO Helpdesk <info@pso-nederland.nl> het volgende geschreven:
>
> Zullen we dinsdag bellen?
"""

OUTLOOK_NL = """Goedemiddag,

Zie bijlage.

Met vriendelijke groet,
Jan de Vries

-----Oorspronkelijk bericht-----
Van: PSO Helpdesk <info@pso-nederland.nl>
Verzonden: dinsdag 1 december 2026 10:15
Aan: Jan de Vries <j.devries@almelo.nl>
Onderwerp: Uw aanvraag [PSO-2026-00042]

Beste heer De Vries,
"""

OUTLOOK_EN = """See attached.

-----Original Message-----
From: PSO Helpdesk <info@pso-nederland.nl>
Sent: Tuesday, December 1, 2026 10:15 AM
To: Jan de Vries
Subject: Your application
"""

OUTLOOK_HEADER_BLOCK_NL = """Akkoord.

________________________________
Van: PSO Helpdesk <info@pso-nederland.nl>
Verzonden: dinsdag 1 december 2026 10:15
Aan: Renée Muller <renee.muller@hengelo.nl>
Onderwerp: Re: Trede 3

Beste Renée,
"""

OUTLOOK_HEADER_BLOCK_EN_BOLD = """Agreed.

*From:* PSO Helpdesk <info@pso-nederland.nl>
*Sent:* Tuesday, 1 December 2026 10:15
*To:* Renée Muller
*Subject:* Re: Trede 3
"""

INLINE_REPLY = """> Is the form complete?
Yes, all pages.
> And signed?
Signed by the director.
"""

PLAIN = "Goedemorgen,\n\nIk heb een vraag over de Trede 2.\n\nGroet,\nKees"

FROM_IN_TEXT = """Kunt u mij bellen?
Van: maandag tot en met vrijdag ben ik bereikbaar.
"""

ONLY_FORWARD = """-----Original Message-----
From: Someone <someone@example.org>
Sent: Monday
To: info@pso-nederland.nl

Forwarded text.
"""


@pytest.mark.parametrize(
    ("text", "own", "quoted_starts"),
    [
        pytest.param(GMAIL_EN, "Thanks, the form is attached.\n\nPetra", "On Tue", id="gmail-en"),
        pytest.param(GMAIL_NL, "Hierbij het formulier.", "Op di 1 dec", id="gmail-nl"),
        pytest.param(GMAIL_WRAPPED, "Yes, that is right.", "On Tue", id="gmail-wrapped"),
        pytest.param(THUNDERBIRD_NL, "Dank u wel.", "Op 01-12-2026", id="thunderbird-nl"),
        pytest.param(APPLE_MAIL_NL, "Prima, tot dan.", "> Op 1 dec.", id="apple-mail-nl"),
        pytest.param(
            OUTLOOK_NL,
            "Goedemiddag,\n\nZie bijlage.\n\nMet vriendelijke groet,\nJan de Vries",
            "-----Oorspronkelijk bericht-----",
            id="outlook-nl",
        ),
        pytest.param(OUTLOOK_EN, "See attached.", "-----Original Message-----", id="outlook-en"),
        pytest.param(OUTLOOK_HEADER_BLOCK_NL, "Akkoord.", "_____", id="outlook-web-nl"),
        pytest.param(OUTLOOK_HEADER_BLOCK_EN_BOLD, "Agreed.", "*From:*", id="outlook-bold-en"),
    ],
)
def test_quoted_history_is_split_from_the_own_text(text, own, quoted_starts):
    got_own, quoted = split_quoted(text)
    assert got_own == own
    assert quoted.startswith(quoted_starts)
    # Nothing is lost: the two parts hold every non-blank line.
    assert [x for x in text.splitlines() if x.strip()] == [
        x for x in (got_own + "\n" + quoted).splitlines() if x.strip()
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(INLINE_REPLY, id="inline-reply"),
        pytest.param(PLAIN, id="no-quote"),
        pytest.param(FROM_IN_TEXT, id="van-in-a-sentence"),
        pytest.param(ONLY_FORWARD, id="only-a-forward"),
        pytest.param("", id="empty"),
    ],
)
def test_text_without_foldable_history_is_kept_whole(text):
    own, quoted = split_quoted(text)
    assert quoted == ""
    assert own == text.strip("\n")


def test_windows_line_endings_are_understood():
    own, quoted = split_quoted(GMAIL_NL.replace("\n", "\r\n"))
    assert own == "Hierbij het formulier."
    assert quoted.startswith("Op di 1 dec")


def test_trailing_quote_without_an_attribution_is_folded():
    own, quoted = split_quoted("Klopt.\n\n> Klopt het adres?\n> Groet\n")
    assert (own, quoted) == ("Klopt.", "> Klopt het adres?\n> Groet")


def test_quote_lines_prefixes_every_line():
    assert quote_lines("a\n\nb\n") == "> a\n> \n> b"


# --- On the case page ---------------------------------------------------------------------

REPLY = (
    b"From: Jan de Vries <j.devries@almelo.nl>\r\n"
    b"To: info@pso-nederland.nl\r\n"
    b"Subject: Re: Uw aanvraag\r\n"
    b"Message-ID: <reply-quoting@almelo.nl>\r\n"
    b"Date: Tue, 01 Dec 2026 11:00:00 +0100\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n" + OUTLOOK_NL.replace("\n", "\r\n").encode()
)


@pytest.fixture
def received_reply(db, django_capture_on_commit_callbacks, settings):
    from cases.intake.email import mail_receive

    settings.LANGUAGE_CODE = "en"
    with django_capture_on_commit_callbacks(execute=True):
        receipt = mail_receive(raw=REPLY, source="test")
    receipt.message.refresh_from_db()
    assert receipt.message.case is not None
    return receipt.message


def test_case_page_folds_the_quoted_history_behind_details(staff_client, received_reply):
    response = staff_client.get(f"/cases/{received_reply.case.reference}/")
    html = response.content.decode()
    own_at = html.index("Zie bijlage.")
    folded_at = html.index('<details class="mail-quoted">\n    <summary>Show the quoted history')
    history_at = html.index("-----Oorspronkelijk bericht-----", folded_at)
    assert own_at < folded_at < history_at


def test_reply_form_shows_the_quote_of_the_last_message_folded(staff_client, received_reply):
    response = staff_client.get(f"/cases/{received_reply.case.reference}/")
    html = response.content.decode()
    form_at = html.index('id="mail-reply"')
    folded_at = html.index("<summary>The quoted previous message</summary>", form_at)
    assert html.index("Jan de Vries wrote:", folded_at) > folded_at
    assert html.index("&gt; Zie bijlage.", folded_at) > folded_at


def test_message_page_folds_the_quoted_history(staff_client, received_reply):
    response = staff_client.get(f"/mail/{received_reply.pk}/")
    html = response.content.decode()
    assert html.index("Zie bijlage.") < html.index("Show the quoted history")
