"""Which shape of its tables each view was built with: a view whose code changed is rebuilt, never migrated.

A view's fingerprint is a hash of its DDL and its projection's ``VERSION``. It is recorded in
``view_schemas`` when the view is first created or rebuilt. A runner that finds a different one
(new columns, new indexes, a projection that now handles more events) rebuilds the view from the
events before it serves again; the old tables serve until the rebuild swaps the new ones in.
Tables from before this record existed count as stale once.
"""

from __future__ import annotations

import hashlib
from typing import Any

from projections.core.view import View

CREATE = "CREATE TABLE IF NOT EXISTS {s}view_schemas (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"


def fingerprint(view: View, projection_version: int) -> str:
    text = "\n".join([*view.DDL, f"projection version {projection_version}"])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ViewSchemas:
    """The ``view_schemas`` table next to the views (same database and schema)."""

    def __init__(self, view: View):
        self.view = view
        with view.datastore.transaction(commit=True) as c:
            c.execute(view.translate(CREATE))

    def stored(self, name: str) -> str | None:
        rows = self.view.query("SELECT fingerprint FROM {s}view_schemas WHERE name = ?", [name])
        return rows[0]["fingerprint"] if rows else None

    def record(self, name: str, value: str) -> None:
        with self.view.datastore.transaction(commit=True) as c:
            c.execute(self.view.translate("DELETE FROM {s}view_schemas WHERE name = ?"), [name])
            c.execute(self.view.translate("INSERT INTO {s}view_schemas (name, fingerprint) VALUES (?, ?)"),
                      [name, value])

    def served_tables_exist(self) -> bool:
        """True if the view's tracking table exists: it has been built before."""
        table = f"{self.view.name}_tracking"
        schema = getattr(self.view.datastore, "schema", None)  # PostgreSQL's datastore has one, SQLite's not
        if schema is None:
            rows: list[Any] = self.view.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                                              [table])
        else:
            rows = self.view.query("SELECT table_name FROM information_schema.tables "
                                   "WHERE table_schema = ? AND table_name = ?", [schema, table])
        return bool(rows)
