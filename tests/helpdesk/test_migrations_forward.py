"""A database migrated by the code before the layering moved models keeps all its data.

The calendar configuration moved from ``scheduling`` to ``calendars`` and the response
targets to ``cases``, by state-only migrations that keep the tables. This walks a
database back to the layout before the move, writes rows there through the old
models, and migrates forward again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType as CurrentContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from calendars.models import Closure
from cases.models import SlaTarget

BEFORE = [
    ("scheduling", "0006_field_labels"),
    ("cases", "0007_field_labels"),
    ("calendars", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    known = [(app, name) for app, name in targets if name is not None]
    return executor.loader.project_state(known).apps


# serialized_rollback brings back the rows the data migrations made (groups, schedules)
# for the tests that run after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_written_before_the_move_are_read_by_the_moved_models():
    old = migrate(BEFORE)
    old.get_model("scheduling", "Closure").objects.create(
        scope="both", first_day=dt.date(2026, 12, 24), reason="Kerstsluiting"
    )
    old.get_model("scheduling", "SlaTarget").objects.update_or_create(
        channel="email", priority="urgent", defaults={"working_time": dt.timedelta(hours=6)}
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    closure_type = ContentType.objects.get(app_label="scheduling", model="closure")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Closure.objects.get().reason == "Kerstsluiting"
    assert SlaTarget.objects.get(channel="email", priority="urgent").working_time == (
        dt.timedelta(hours=6)
    )
    # The content type moved with the model: same row, so permissions and the
    # admin's history keep pointing at it.
    moved = CurrentContentType.objects.get(app_label="calendars", model="closure")
    assert moved.pk == closure_type.pk
    assert not CurrentContentType.objects.filter(app_label="scheduling", model="closure").exists()
    managers = Group.objects.get(name="Managers")
    assert managers.permissions.filter(content_type=moved, codename="change_closure").exists()
