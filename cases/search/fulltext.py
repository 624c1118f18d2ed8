"""Full-text search over what was written on cases, behind one function for both databases.

* PostgreSQL: the Dutch text-search configuration (stemming: "certificaten" finds
  "certificaat") over expression GIN indexes on the case, its notes and its mail
  (migration ``0015_search_indexes``); the query is ``websearch_to_tsquery``.
* SQLite: one FTS5 table kept by triggers on the same four tables (accents folded,
  the last word matched as a prefix), ranked by bm25.

Both answer ``[(case_id, score)]``, higher scores first, where a score only orders
the results of one search.
"""

from __future__ import annotations

import re

from django.db import connection

#: Longest text per row that goes into the index (PostgreSQL limits a tsvector to 1 MB).
INDEXED_CHARS = 100_000

#: The texts searched per table, as SQL expressions (the same in the index and the query).
PG_DOCUMENTS = {
    "cases_case": ("id", "coalesce(subject, '') || ' ' || left(coalesce(description, ''), {n})"),
    "cases_note": ("case_id", "left(coalesce(body, ''), {n})"),
    "cases_inboundmessage": (
        "case_id",
        "coalesce(subject, '') || ' ' || left(coalesce(text_body, ''), {n})",
    ),
    "cases_outboundmessage": (
        "case_id",
        "coalesce(subject, '') || ' ' || left(coalesce(body_text, ''), {n})",
    ),
}


def pg_vector(table: str) -> str:
    """The indexed ``to_tsvector`` expression of ``table``."""
    return f"to_tsvector('dutch'::regconfig, {PG_DOCUMENTS[table][1].format(n=INDEXED_CHARS)})"


def words(text: str) -> list[str]:
    """The words of a search text (letters and digits; everything else separates)."""
    return re.findall(r"\w+", text or "")


def case_text_matches(text: str, *, limit: int) -> list[tuple[int, float]]:
    """Cases whose subject, description, notes or mail contain every word of ``text``."""
    if not words(text):
        return []
    if connection.vendor == "postgresql":
        return _postgres(text, limit)
    return _sqlite(text, limit)


#: PostgreSQL ranks at most this many matching rows per table. Ranking reads each
#: row's text again to build its vector (the index holds none to rank by): a word
#: written on 40,000 cases took two seconds to rank in full at 200,000 cases. A word
#: that common ranks any 50 of its rows per table; a rarer word ranks all of them.
#: The search page shows 20 cases, the drop-down 5.
PG_RANKED_PER_TABLE = 50

#: Only bitmap scans of the GIN indexes for the search. The planner prices building a
#: row's text vector far too low: for a common word it walked the cases in table or key
#: order, building the vector of each to test it (1,278 cases, 63 ms at 200,000 cases;
#: 800 mails, 350 ms in bench/bench_workspace.py), instead of asking the index.
#: The settings go with the query in one text, one round trip: PostgreSQL runs it as one
#: transaction (or inside the one going on), so a failure takes the settings back with
#: it, and the RESETs (to the connection's own values) do otherwise. This needs Django's
#: client-side binding for psycopg (its default): a prepared statement holds one command.
_BITMAP_SCANS_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
_PLANNER_AS_BEFORE = "; RESET enable_seqscan; RESET enable_indexscan"


def _postgres(text: str, limit: int) -> list[tuple[int, float]]:
    parts = [
        f"(SELECT {key} AS case_id, ts_rank({pg_vector(table)}, q) AS score "
        f"FROM {table}, websearch_to_tsquery('dutch'::regconfig, %s) AS q "
        f"WHERE {key} IS NOT NULL AND {pg_vector(table)} @@ q LIMIT %s)"
        for table, (key, _document) in PG_DOCUMENTS.items()
    ]
    sql = (
        f"SELECT case_id, max(score) AS score FROM ({' UNION ALL '.join(parts)}) AS found "
        "GROUP BY case_id ORDER BY score DESC, case_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _BITMAP_SCANS_ONLY + sql + _PLANNER_AS_BEFORE,
            [text, PG_RANKED_PER_TABLE] * len(parts) + [limit],
        )
        cursor.nextset()  # past the two settings, to the search's rows
        cursor.nextset()
        return [(case_id, float(score)) for case_id, score in cursor.fetchall()]


def fts5_query(text: str) -> str:
    """Every word as a quoted FTS5 string (so no word is read as an operator), the last
    one as a prefix: "certif" finds "certificaat" while it is being typed."""
    quoted = [f'"{word}"' for word in words(text)]
    quoted[-1] += "*"
    return " ".join(quoted)


#: SQLite reads this many index rows per wanted case (a case has several: notes, mails).
ROWS_PER_CASE = 10


def _sqlite(text: str, limit: int) -> list[tuple[int, float]]:
    # rank (bm25) only works in the query that matches, not in an aggregate: take the
    # best rows and keep each case's first, best one.
    sql = (
        "SELECT case_id, rank FROM cases_search_fts WHERE cases_search_fts MATCH %s "
        "ORDER BY rank LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [fts5_query(text), limit * ROWS_PER_CASE])
        rows = cursor.fetchall()
    best: dict[int, float] = {}
    for case_id, score in rows:
        if case_id is not None and int(case_id) not in best:
            # bm25 is lower for better matches: turn it around, so higher is better here too.
            best[int(case_id)] = -float(score)
    return list(best.items())[:limit]
