"""The helpdesk's own rules, read from the environment like the rest of ``helpdesk.settings``,
which takes these in: PSO expiry warnings, case references, callback slots, SLA warnings,
acknowledgement limits, presence on case pages.
"""

from __future__ import annotations

import datetime as _dt

from helpdesk.env import env_int, env_str

# How often an open case page reports in, so colleagues see who else is on the case.
PRESENCE_POLL_SECONDS = env_int("PRESENCE_POLL_SECONDS", 15)
# A PSO status that ends within this many days is flagged wherever it is shown.
PSO_EXPIRY_WARNING_DAYS = env_int("PSO_EXPIRY_WARNING_DAYS", 60)
CASE_REFERENCE_PREFIX = env_str("CASE_REFERENCE_PREFIX", "PSO")
# The length of one callback slot; each slot holds as many callbacks as staff are on the phone.
CALLBACK_SLOT_MINUTES = env_int("CALLBACK_SLOT_MINUTES", 15)
# Next try after no answer: this much later the same phone day, else the next phone day.
CALLBACK_RETRY_MINUTES = env_int("CALLBACK_RETRY_MINUTES", 60)
# Call events (docs/telephony.md): larger posts get 413; more new events a minute, 429.
TELEPHONY_MAX_PAYLOAD_BYTES = env_int("TELEPHONY_MAX_PAYLOAD_BYTES", 64 * 1024)
TELEPHONY_EVENTS_PER_MINUTE = env_int("TELEPHONY_EVENTS_PER_MINUTE", 300)
# Working time before the first-answer target at which the assignee is warned.
SLA_WARNING_BEFORE = _dt.timedelta(minutes=env_int("SLA_WARNING_MINUTES", 120))
# At most this many automatic acknowledgements go to one address per window, so a
# sender who opens many cases at once (or a mail loop) is not flooded.
ACKNOWLEDGEMENT_RATE_LIMIT = env_int("ACKNOWLEDGEMENT_RATE_LIMIT", 3)
ACKNOWLEDGEMENT_RATE_WINDOW_MINUTES = env_int("ACKNOWLEDGEMENT_RATE_WINDOW_MINUTES", 60)
# And at most this many leave the helpdesk in any hour, for all senders together: a
# flood of forged senders cannot make the helpdesk mail strangers.
ACKNOWLEDGEMENT_LIMIT_PER_HOUR = env_int("ACKNOWLEDGEMENT_LIMIT_PER_HOUR", 60)
