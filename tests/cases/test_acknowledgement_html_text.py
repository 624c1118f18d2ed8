"""The text of an HTML-only mail, as the acknowledgement's language guess reads it."""

from __future__ import annotations

from cases.intake.acknowledgements import guess_language, html_text


def _words(markup: str) -> list[str]:
    return html_text(markup).split()


def test_script_and_style_bodies_are_left_out_with_their_tags():
    markup = (
        "<html><head><title>Mail</title><style>p { color: red; } .x > b {}</style></head>"
        "<body><script>if (a < b && c > d) { alert('the and of'); }</script>"
        "<p>Goedemiddag</p></body></html>"
    )
    assert _words(markup) == ["Goedemiddag"]


def test_entities_become_their_characters():
    markup = "<p>Caf&eacute; &amp; co &lt;info@example.nl&gt; &#8364;&nbsp;12</p>"
    assert html_text(markup).strip() == "Café & co <info@example.nl> €\xa012"


def test_a_greater_than_sign_in_an_attribute_or_a_comment_does_not_leak_markup():
    markup = '<a title="x > y" href="https://example.nl">link</a><!-- a > b --> text'
    assert _words(markup) == ["link", "text"]


def test_blocks_and_line_breaks_keep_words_apart_inline_tags_do_not_split_them():
    markup = "<div>Hello</div><div>thanks<br/>for</div><p>your <b>he</b>lp</p><li>the</li>"
    assert _words(markup) == ["Hello", "thanks", "for", "your", "help", "the"]


def test_an_english_html_only_mail_reads_as_english():
    markup = (
        "<div>Dear helpdesk,</div><div>Could you tell us what the audit costs?</div>"
        "<div>Thanks and kind regards</div><style>.de .het .een {}</style>"
    )
    assert guess_language(html_text(markup)) == "en"


def test_empty_or_missing_html_is_empty_text():
    assert html_text("") == ""
    assert html_text(None) == ""  # type: ignore[arg-type]
