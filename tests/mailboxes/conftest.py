"""The real servers of the mailbox tests: Dovecot (IMAP), started once per test process."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from django_q.conf import Conf

from tests.mailboxes.dovecot import PASSWORD, Dovecot, dovecot_start
from tests.mailboxes.tls import Certificates, certificates_make


@pytest.fixture(scope="session")
def certificates(tmp_path_factory) -> Certificates:
    return certificates_make(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def dovecot(certificates) -> Dovecot:
    # A folder of its own under /tmp rather than pytest's (private, and its mode reset by
    # every pytest run): Dovecot's mail processes, not root, must walk down to the maildirs.
    folder = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
    server = dovecot_start(folder, certificates)
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def no_worker(monkeypatch):
    """The worker is not running: queued processing waits in the broker."""
    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def trusted(settings, certificates):
    """The mailbox clients trust the run's own test authority (verification stays on)."""
    settings.MAILBOX_CA_FILE = str(certificates.ca_file)
    return certificates


@pytest.fixture
def imap_password(monkeypatch):
    monkeypatch.setenv("MAILBOX_TEST_PASSWORD", PASSWORD)
    return PASSWORD


@pytest.fixture
def microsoft(certificates, trusted, settings, monkeypatch):
    """The identity platform and Graph stand-in, with the helpdesk pointed at it."""
    from mailboxes import tokens
    from tests.mailboxes.microsoft import CLIENT_SECRET, MicrosoftStandIn

    stand_in = MicrosoftStandIn(certificates)
    settings.MAILBOX_MICROSOFT_LOGIN_URL = stand_in.base
    settings.MAILBOX_GRAPH_URL = stand_in.graph
    monkeypatch.setenv("MAILBOX_TEST_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setattr(tokens, "_apps", {})  # no token of another test's stand-in
    yield stand_in
    stand_in.close()


@pytest.fixture
def google(certificates, trusted, settings, monkeypatch):
    """Google's token endpoint stand-in, with the helpdesk pointed at it and the service
    account's JSON key in ``MAILBOX_TEST_GOOGLE_KEY``."""
    from mailboxes import google as google_tokens
    from tests.mailboxes.google import GoogleStandIn

    stand_in = GoogleStandIn(certificates)
    settings.MAILBOX_GOOGLE_TOKEN_URL = stand_in.token_url
    monkeypatch.setenv("MAILBOX_TEST_GOOGLE_KEY", stand_in.key_json)
    monkeypatch.setattr(google_tokens, "_tokens", {})  # no token of another test's stand-in
    yield stand_in
    stand_in.close()
