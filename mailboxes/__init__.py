"""Real mailboxes: the helpdesk reads info@ over IMAP or Microsoft Graph, and sends through them.

- ``models``: a mailbox as configuration (never its secret) and its state;
- ``credentials``: the password or client secret, read from the environment or a secrets file;
- ``problems``: what went wrong, in plain words;
- ``tokens``: OAuth2 access tokens from Microsoft's identity platform (msal);
- ``imap`` and ``graph``: the two ways of talking to a mailbox;
- ``polling``: one poll: fetch, store through the intake, then move;
- ``sending``: Django email backends for Graph ``sendMail`` and SMTP with XOAUTH2.
"""
