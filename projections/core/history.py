"""Row versions by recording time, so a view can answer "as the system knew it at t" (``as_of``).

A view lists in ``HISTORY`` the tables whose past it keeps (table -> the key column the
projection's events name). For each, ``<table>_history`` holds every version of the rows:
``valid_from`` (the recording time of the event that wrote it), ``valid_to`` (the recording time
of the event that replaced or deleted it; NULL while current) and then the table's own columns.
The projection writes the versions in the same batch transaction as the change itself
(``BatchingProjection.record``): after an event's changes, for each historised table they
wrote, it closes the key's open versions and copies the key's current rows as new ones.

A query ``as_of`` t runs the SAME statement with each historised table replaced by the rows valid
at t (``AsOfView``): filters, order, paging and the municipality scope are those of today's query.
Times are ``projections.core.encoding.iso`` text (UTC, microseconds), compared as text on both backends.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from projections.core.encoding import iso

_WRITE = re.compile(r"^\s*(?:INSERT INTO|UPDATE|DELETE FROM) \{s\}(\w+)", re.IGNORECASE)


def history_table(table: str) -> str:
    return f"{table}_history"


def history_ddl(table: str, key: str) -> list[str]:
    """The history table has the served table's columns (copied, so the two never drift) after two times."""
    h = history_table(table)
    return [
        f"CREATE TABLE IF NOT EXISTS {{s}}{h} AS SELECT CAST(NULL AS TEXT) AS valid_from, "
        f"CAST(NULL AS TEXT) AS valid_to, t.* FROM {{s}}{table} t WHERE 1 = 0",
        # Closing a key's open versions; reading the versions valid at a moment.
        f"CREATE INDEX IF NOT EXISTS {h}_key_idx ON {{s}}{h} ({key}, valid_to)",
        f"CREATE INDEX IF NOT EXISTS {h}_at_idx ON {{s}}{h} (valid_from, valid_to)",
    ]


def history_indexes(ddl: Sequence[str], table: str) -> list[str]:
    """The table's own indexes on its history too, so a past answer takes the same paths as today's."""
    own = re.compile(r"CREATE (?:UNIQUE )?INDEX IF NOT EXISTS (\w+) ON \{s\}" + table + r" \(([^)]*)\)")
    return [f"CREATE INDEX IF NOT EXISTS {m.group(1)}_h ON {{s}}{history_table(table)} ({m.group(2)})"
            for m in (own.match(d) for d in ddl) if m]


def history_read_indexes(table: str, own: Sequence[str]) -> frozenset[str]:
    """The history indexes no write uses: by moment and the table's own (closing a version uses the key's)."""
    names = {m.group(1) for m in (re.search(r"INDEX IF NOT EXISTS (\w+)", d) for d in own) if m}
    return frozenset({f"{history_table(table)}_at_idx", *names})


def history_statements(table: str, key: str) -> dict[str, str]:
    h = history_table(table)
    return {
        f"close:{table}": f"UPDATE {{s}}{h} SET valid_to = ? WHERE {key} = ? AND valid_to IS NULL",
        f"open:{table}": f"INSERT INTO {{s}}{h} SELECT ?, NULL, t.* FROM {{s}}{table} t WHERE t.{key} = ?",
    }


def table_columns(ddl: Sequence[str], table: str) -> list[str]:
    """The columns of `table` from its CREATE TABLE statement (a past row reads as exactly these)."""
    head = f"CREATE TABLE IF NOT EXISTS {{s}}{table} ("
    statement = next(d for d in ddl if d.startswith(head))
    body, depth, parts, current = statement[len(head):statement.rindex(")")], 0, [], ""
    for ch in body:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    names = [p.split()[0] for p in parts if p.split()]
    return [n for n in names if n.upper() not in ("PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "CONSTRAINT")]


def written_tables(statements: dict[str, str]) -> dict[str, str]:
    """Statement key -> the table it writes (to know which tables an event's changes touched)."""
    result = {}
    for name, sql in statements.items():
        m = _WRITE.match(sql)
        if m:
            result[name] = m.group(1)
    return result


def as_of_text(moment: datetime) -> str:
    """The moment as stored (UTC, microseconds); a naive moment is taken as UTC."""
    if moment.tzinfo is None:
        from datetime import timezone

        moment = moment.replace(tzinfo=timezone.utc)
    return iso(moment)


def rows_valid_at(sql: str, tables: dict[str, list[str]], moment: str) -> str:
    """The statement with each historised table replaced by its rows valid at `moment`.

    The moment is inlined as a literal (it is ``iso()`` text made here, never user text), so the
    statement's ``?`` parameters keep their order.
    """
    assert re.fullmatch(r"[0-9T:.+\-]+", moment), moment
    for table, columns in tables.items():
        sub = (f"(SELECT {', '.join(columns)} FROM {{s}}{history_table(table)} WHERE valid_from <= '{moment}' "
               f"AND (valid_to IS NULL OR valid_to > '{moment}'))")
        # A table named without an alias gets its own name as one (a subquery needs one on PostgreSQL).
        sql = re.sub(r"\{s\}" + table + r"\b(?!\s+(?!" + _KEYWORDS + r")[A-Za-z_])",
                     lambda _m: f"{sub} {table}", sql)
        sql = re.sub(r"\{s\}" + table + r"\b", lambda _m: sub, sql)
    return sql


_KEYWORDS = r"(?:WHERE|ORDER|GROUP|JOIN|LEFT|RIGHT|INNER|OUTER|CROSS|FULL|ON|LIMIT|OFFSET|UNION|HAVING|AND|OR)\b"


class AsOfView:
    """A view read as it was at a moment: the same queries over its history tables (read-only)."""

    def __init__(self, view: Any, moment: datetime):
        self.view = view
        self.moment = as_of_text(moment)
        self.tables = getattr(view, "HISTORY_COLUMNS", {})

    def __getattr__(self, name: str) -> Any:  # constants the queries read (DAYS_SINCE, ...)
        return getattr(self.view, name)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self.view.query(rows_valid_at(sql, self.tables, self.moment), params)

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        rows = self.query(sql, params)
        value = next(iter(rows[0].values())) if rows else 0
        return int(value or 0)
