"""A mailbox's error text loses what names anonymised mail; the problem code stays."""

from __future__ import annotations

from cases.models import InboundMessage
from mailboxes.models import Mailbox
from privacy.anonymise.mailboxes import mailbox_errors_scrub
from privacy.scrub import ANONYMISED, Identifiers, pattern
from tests.factories import InboundMessageFactory, MailboxFactory


def test_an_error_naming_an_anonymised_message_goes_whole(db):
    message = InboundMessageFactory(message_id="m-77@example.nl", from_address="a@example.nl")
    box = MailboxFactory(problem="store", problem_detail="INBOX/9/77: m-77@example.nl refused")
    other = MailboxFactory(problem="auth", problem_detail="LOGIN failed")
    count = mailbox_errors_scrub(messages=InboundMessage.objects.filter(pk=message.pk))
    assert count == 1
    assert Mailbox.objects.values_list("problem", "problem_detail").get(pk=box.pk) == (
        "store",
        "",
    )
    assert Mailbox.objects.get(pk=other.pk).problem_detail == "LOGIN failed"


def test_an_erasure_replaces_only_the_persons_identifiers_in_an_error(db):
    box = MailboxFactory(problem="store", problem_detail="From Jan Jansen <jan@x.nl>: too big")
    compiled = pattern(Identifiers(frozenset({"Jan Jansen"}), frozenset({"jan@x.nl"})))
    assert mailbox_errors_scrub(compiled=compiled) == 1
    detail = Mailbox.objects.get(pk=box.pk).problem_detail
    assert detail == f"From {ANONYMISED} <{ANONYMISED}>: too big"


def test_without_error_texts_no_mail_is_read(db, django_assert_num_queries):
    MailboxFactory()
    InboundMessageFactory()
    with django_assert_num_queries(1):
        assert mailbox_errors_scrub(messages=InboundMessage.objects.all()) == 0
