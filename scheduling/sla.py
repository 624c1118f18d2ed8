"""The first-answer target under its long-standing import path.

The clock lives next to the case (``cases.first_answer.clock``); this module keeps
``scheduling.sla.due_at(received_at, priority, channel)`` and its neighbours working
for code and checks written against it. New code imports from ``cases.first_answer``.
"""

from cases.first_answer.clock import (
    AT_RISK_WITHIN,
    DEFAULT_TARGETS,
    case_first_response,
    due_at,
    remaining,
    subject_is_urgent,
    target_for,
    working_time_words,
)

__all__ = [
    "AT_RISK_WITHIN",
    "DEFAULT_TARGETS",
    "case_first_response",
    "due_at",
    "remaining",
    "subject_is_urgent",
    "target_for",
    "working_time_words",
]
