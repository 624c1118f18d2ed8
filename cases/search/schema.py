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

#: SQLite: (table, kind, the case's id, the text) of each source of the FTS5 table.
SQLITE_SOURCES = [
    ("cases_case", "case", "{row}.id", "{row}.subject || ' ' || {row}.description"),
    ("cases_note", "note", "{row}.case_id", "{row}.body"),
    (
        "cases_inboundmessage",
        "in",
        "{row}.case_id",
        f"{{row}}.subject || ' ' || substr({{row}}.text_body, 1, {INDEXED_CHARS})",
    ),
    (
        "cases_outboundmessage",
        "out",
        "{row}.case_id",
        f"{{row}}.subject || ' ' || substr({{row}}.body_text, 1, {INDEXED_CHARS})",
    ),
]
FTS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_search_fts USING fts5("
    "kind UNINDEXED, source_id UNINDEXED, case_id UNINDEXED, body, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def _run(connection: Any, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _triggers(table: str, kind: str, case_id: str, body: str) -> list[str]:
    add = (
        "INSERT INTO cases_search_fts (kind, source_id, case_id, body) "
        f"VALUES ('{kind}', new.id, {case_id.format(row='new')}, {body.format(row='new')});"
    )
    drop = f"DELETE FROM cases_search_fts WHERE kind = '{kind}' AND source_id = old.id;"
    head = f"CREATE TRIGGER IF NOT EXISTS {table}_fts"
    return [
        f"{head}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"{head}_update AFTER UPDATE ON {table} BEGIN {drop} {add} END",
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
        for table, kind, case_id, body in SQLITE_SOURCES:
            statements += _triggers(table, kind, case_id, body)
            if backfill:
                statements.append(
                    "INSERT INTO cases_search_fts (kind, source_id, case_id, body) "
                    f"SELECT '{kind}', t.id, {case_id.format(row='t')}, {body.format(row='t')} "
                    f"FROM {table} AS t"
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
                f"DROP TRIGGER IF EXISTS {table}_fts_{event}"
                for table, *_rest in SQLITE_SOURCES
                for event in ("insert", "update", "delete")
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
