"""Tasks go to the worker through one broker per process (``periodic.queue``)."""

from __future__ import annotations

import pytest

from periodic import queue


@pytest.fixture
def fresh_broker():
    queue.kept_broker.cache_clear()
    yield
    queue.kept_broker.cache_clear()  # no fake broker left for the tests after this one


def test_every_task_is_queued_through_the_broker_made_once(monkeypatch, fresh_broker):
    made, given = [], []

    def make_broker():
        made.append(object())
        return made[-1]

    def async_task(func, **options):
        given.append((func, options))
        return f"task-{len(given)}"

    monkeypatch.setattr(queue, "get_broker", make_broker)
    monkeypatch.setattr(queue, "async_task", async_task)

    assert queue.enqueue(len, group="mail-in", message_pk=7) == "task-1"
    assert queue.enqueue("operator.mul", timeout=5) == "task-2"

    assert len(made) == 1
    assert given == [
        (len, {"broker": made[0], "group": "mail-in", "message_pk": 7}),
        ("operator.mul", {"broker": made[0], "timeout": 5}),
    ]
