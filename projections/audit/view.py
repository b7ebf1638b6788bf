"""The audit trail's tables and statements (append-only, chained); one class per storage backend."""

from __future__ import annotations

from typing import Any

from projections.audit.chain import CONTENT_COLUMNS
from projections.core.view import PostgresView, SQLiteView, View

_COLUMNS = ", ".join(CONTENT_COLUMNS)
_MARKS = ",".join("?" * len(CONTENT_COLUMNS))


class AuditView(View):
    name = "audit"
    TABLES = ["audit_log", "audit_aggregates"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}audit_log (position BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
        "topic TEXT NOT NULL, event_name TEXT NOT NULL, entry_type TEXT NOT NULL, aggregate_type TEXT NOT NULL, "
        "aggregate_id TEXT NOT NULL, aggregate_version INTEGER NOT NULL, actor_user_id TEXT, actor_username TEXT, "
        "actor_role TEXT, actor_municipality TEXT, municipality TEXT, occurred_at TEXT NOT NULL, "
        "subject_type TEXT, subject_id TEXT, via TEXT, fields TEXT, purpose TEXT, reason TEXT, "
        "prev_hash TEXT NOT NULL, hash TEXT NOT NULL, hmac TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_actor_idx ON {s}audit_log (actor_username, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_aggregate_idx ON {s}audit_log (aggregate_id)",
        "CREATE INDEX IF NOT EXISTS audit_subject_idx ON {s}audit_log (subject_id)",
        "CREATE INDEX IF NOT EXISTS audit_municipality_idx ON {s}audit_log (municipality, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_time_idx ON {s}audit_log (occurred_at)",
        "CREATE TABLE IF NOT EXISTS {s}audit_aggregates (aggregate_id TEXT PRIMARY KEY, municipality TEXT NOT NULL)",
        # The last `familjepool audit verify` (one row); a rebuild recomputes the same chain, so it survives one.
        "CREATE TABLE IF NOT EXISTS {s}audit_verification (id INTEGER PRIMARY KEY, position BIGINT NOT NULL, "
        "entries BIGINT NOT NULL, ok INTEGER NOT NULL, problem TEXT, verified_at TEXT NOT NULL)",
    ]
    # The entry's INSERT reads audit_aggregates by its key and the projection the last entry by position.
    READ_INDEXES = frozenset({"audit_actor_idx", "audit_aggregate_idx", "audit_subject_idx",
                              "audit_municipality_idx", "audit_time_idx"})
    STATEMENTS = {
        # The municipality an entry concerns: the event's own, else its aggregate's, else the actor's.
        "entry": f"INSERT INTO {{s}}audit_log ({_COLUMNS}, municipality, prev_hash, hash, hmac) VALUES ({_MARKS}, "
                 "COALESCE(?, (SELECT municipality FROM {s}audit_aggregates g WHERE g.aggregate_id = ?), ?), ?, ?, ?)",
        "aggregate": "INSERT INTO {s}audit_aggregates VALUES (?, ?) ON CONFLICT (aggregate_id) DO NOTHING",
        "verified": "INSERT INTO {s}audit_verification VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "position = excluded.position, entries = excluded.entries, ok = excluded.ok, "
                    "problem = excluded.problem, verified_at = excluded.verified_at",
    }

    def _upgrade(self) -> None:
        if not self.suffix and not self.count(self.HAS_HMAC, self._has_hmac_params()):
            self.drop()  # an audit_log from before the chain: replay every event into a chained one

    HAS_HMAC = ""

    def _has_hmac_params(self) -> list[Any]:
        return []


class SQLiteAuditView(SQLiteView, AuditView):
    HAS_HMAC = "SELECT COUNT(*) AS n FROM pragma_table_info('audit_log') WHERE name = 'hmac'"

    def create_table(self) -> None:
        super().create_table()
        self._upgrade()


class PostgresAuditView(PostgresView, AuditView):
    HAS_HMAC = ("SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = ? "
                "AND table_name = 'audit_log' AND column_name = 'hmac'")

    def _has_hmac_params(self) -> list[Any]:
        return [self.datastore.schema]

    def create_table(self) -> None:
        super().create_table()
        self._upgrade()
