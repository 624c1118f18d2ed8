"""The phone system talks to the helpdesk: call events in, the caller on screen, the call log.

``payloads`` reads Zammad's generic CTI format and Voys call notifications into
one event (pure, no models); ``signing`` checks tokens, signatures and addresses;
``services`` applies an event to its call; ``missed`` turns a missed call into a
callback; ``events`` is the one path from a post to all of that.
"""
