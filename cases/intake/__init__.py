"""Email in and out of the helpdesk.

- ``email``: the single entry point for received mail (``mail_receive``) and its processing
  (``inbound_process``), plus the decisions offered to acknowledgements
  (``may_acknowledge``; whether mail is automatic is ``InboundMessage.is_automatic``);
- ``storage``: the raw message and its SHA-256, committed before anything is parsed;
- ``parsing``: reading raw mail field by field without ever crashing on it;
- ``threading``: which case a message belongs to, and which contact sent it;
- ``html``: received HTML made safe to show;
- ``outbound``: ``mail_send``, the one way to send mail on a case;
- ``webhooks``: anymail's webhooks, hardened, and the receivers that store what they deliver.
"""
