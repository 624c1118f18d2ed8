"""Callbacks: the promise to call a caller back within phone hours.

``slots`` is the pure arithmetic of slots and capacity; ``booking`` books them,
``queue`` works the morning queue, ``morning`` is the run before opening, and
``calls`` is the log-a-call flow that books a callback for a call.
"""
