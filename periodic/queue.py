"""Handing a task to the django-q worker, through one broker per process.

django-q's ``async_task`` builds a new broker for every task it is given: on Redis a
new client with a new connection pool, so a new connection, each time (2–3 ms of a
missed call's hangup, and of every message a mail poll queues). ``enqueue`` hands the
task over through a broker made once per process (after gunicorn's fork, on first use).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django_q.brokers import Broker, get_broker
from django_q.tasks import async_task


@functools.cache
def kept_broker() -> Broker:
    """The broker of this process, made on first use."""
    return get_broker()


def enqueue(func: Callable[..., Any] | str, /, **options: Any) -> str:
    """Queue ``func`` with ``options`` (its keyword arguments and django-q's own: ``group``,
    ``timeout`` …) as ``async_task`` does, through the process's kept broker; returns the
    task's id."""
    return async_task(func, broker=kept_broker(), **options)
