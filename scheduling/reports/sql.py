"""SQL helpers of the report that Django has no portable form for."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Func


class UtcHour(Func):
    """The UTC hour an instant falls in, as text ``YYYY-MM-DD HH``.

    Grouping by it lets the database count per hour without converting every
    row to the helpdesk's zone (on SQLite that conversion is a Python call per
    row); the few groups are converted afterwards. Amsterdam's offsets are whole
    hours, so a UTC hour is exactly one local hour.
    """

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="strftime('%%%%Y-%%%%m-%%%%d %%%%H', %(expressions)s)"
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
        )
