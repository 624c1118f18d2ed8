"""The first-answer clock of a case: its target, due time, pauses and lateness.

State on ``Case`` that changes in the same transaction as the case's status, so it
lives next to the case, below the services that change cases: ``rules`` is the pure
arithmetic on any business calendar, ``clock`` applies it to a case.
"""
