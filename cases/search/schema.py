"""The database side of full-text search: Dutch GIN indexes on PostgreSQL, an FTS5 table
kept by triggers on SQLite (``cases.search.fulltext`` holds the queries).

SQLite drops a table's triggers when a migration rebuilds the table, so
``install`` runs again after every ``migrate`` (``cases.apps``) and puts back
whatever is missing; the index rows stay right, because a rebuild copies rows
with their ids and fires no trigger.
"""

from __future__ import annotations

from typing import Any

from cases.search.fulltext import INDEXED_CHARS, PG_DOCUMENTS, pg_vector

#: SQLite: (table, kind, the case's id, the text, the columns the text and case come
#: from) of each source of the FTS5 table.
SQLITE_SOURCES = [
    (
        "cases_case",
        "case",
        "{row}.id",
        "{row}.subject || ' ' || {row}.description",
        ("subject", "description"),
    ),
    ("cases_note", "note", "{row}.case_id", "{row}.body", ("body", "case_id")),
    (
        "cases_inboundmessage",
        "in",
        "{row}.case_id",
        f"{{row}}.subject || ' ' || substr({{row}}.text_body, 1, {INDEXED_CHARS})",
        ("subject", "text_body", "case_id"),
    ),
    (
        "cases_outboundmessage",
        "out",
        "{row}.case_id",
        f"{{row}}.subject || ' ' || substr({{row}}.body_text, 1, {INDEXED_CHARS})",
        ("subject", "body_text", "case_id"),
    ),
]
#: An index row's rowid is its source row's id times four plus its kind's number, so a
#: trigger finds it by rowid: FTS5 cannot index ``source_id``, and a ``WHERE source_id``
#: reads the whole index, on every write of every source row.
KIND_NUMBERS = {"case": 0, "note": 1, "in": 2, "out": 3}
#: Triggers of the first layout (deleting by ``source_id``), dropped where found.
_OLD_TRIGGER = "{table}_fts_{event}"
FTS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_search_fts USING fts5("
    "kind UNINDEXED, source_id UNINDEXED, case_id UNINDEXED, body, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _rowid(kind: str, row: str) -> str:
    return f"{row}.id * 4 + {KIND_NUMBERS[kind]}"


def _triggers(
    table: str, kind: str, case_id: str, body: str, columns: tuple[str, ...]
) -> list[str]:
    add = (
        "INSERT INTO cases_search_fts (rowid, kind, source_id, case_id, body) "
        f"VALUES ({_rowid(kind, 'new')}, '{kind}', new.id, {case_id.format(row='new')}, "
        f"{body.format(row='new')});"
    )
    drop = f"DELETE FROM cases_search_fts WHERE rowid = {_rowid(kind, 'old')};"
    # Only a change of the indexed text (or of its case) re-indexes the row: a claim, a
    # status or a counter written to the row leaves the index alone.
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    head = f"CREATE TRIGGER IF NOT EXISTS {table}_search"
    return [
        f"DROP TRIGGER IF EXISTS {_OLD_TRIGGER.format(table=table, event=event)}"
        for event in ("insert", "update", "delete")
    ] + [
        f"{head}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"{head}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"WHEN {changed} BEGIN {drop} {add} END",
        f"{head}_delete AFTER DELETE ON {table} BEGIN {drop} END",
    ]


def install(connection: Any, *, backfill: bool) -> None:
    """Create what full-text search needs where it is missing (safe to repeat).

    ``backfill`` also indexes the rows already there (once: when the table is made).
    """
    if connection.vendor == "postgresql":
        _run(
            connection,
            [
                f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} USING gin ({pg_vector(table)})"
                for table in PG_DOCUMENTS
            ],
        )
    elif connection.vendor == "sqlite":
        statements = [FTS_TABLE]
        for table, kind, case_id, body, columns in SQLITE_SOURCES:
            statements += _triggers(table, kind, case_id, body, columns)
            if backfill:
                statements.append(
                    "INSERT INTO cases_search_fts (rowid, kind, source_id, case_id, body) "
                    f"SELECT {_rowid(kind, 't')}, '{kind}', t.id, {case_id.format(row='t')}, "
                    f"{body.format(row='t')} FROM {table} AS t"
                )
        _run(connection, statements)


def uninstall(connection: Any) -> None:
    """Remove the indexes, or the FTS5 table and its triggers."""
    if connection.vendor == "postgresql":
        _run(connection, [f"DROP INDEX IF EXISTS {table}_fts" for table in PG_DOCUMENTS])
    elif connection.vendor == "sqlite":
        _run(
            connection,
            [
                f"DROP TRIGGER IF EXISTS {name.format(table=table, event=event)}"
                for table, *_rest in SQLITE_SOURCES
                for event in ("insert", "update", "delete")
                for name in (_OLD_TRIGGER, "{table}_search_{event}")
            ]
            + ["DROP TABLE IF EXISTS cases_search_fts"],
        )


def compact(connection: Any) -> None:
    """Drop what deleted or changed texts left in the search index.

    SQLite's FTS5 keeps the words of a deleted row in its index segments until they
    are merged; after erasing personal data (``privacy``) nothing may remain, so the
    segments are merged at once. PostgreSQL's expression indexes hold no copy to clean.
    """
    if connection.vendor == "sqlite":
        _run(connection, ["INSERT INTO cases_search_fts (cases_search_fts) VALUES ('optimize')"])
