"""The audit trail's tables and statements (append-only); one class per storage backend."""

from __future__ import annotations

from projections.core.view import PostgresView, SQLiteView, View


class AuditView(View):
    name = "audit"
    TABLES = ["audit_log", "audit_aggregates"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}audit_log (position BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
        "topic TEXT NOT NULL, event_name TEXT NOT NULL, entry_type TEXT NOT NULL, aggregate_type TEXT NOT NULL, "
        "aggregate_id TEXT NOT NULL, aggregate_version INTEGER NOT NULL, actor_user_id TEXT, actor_username TEXT, "
        "actor_role TEXT, actor_municipality TEXT, municipality TEXT, occurred_at TEXT NOT NULL, "
        "subject_type TEXT, subject_id TEXT, via TEXT, fields TEXT)",
        "CREATE INDEX IF NOT EXISTS audit_actor_idx ON {s}audit_log (actor_username, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_aggregate_idx ON {s}audit_log (aggregate_id)",
        "CREATE INDEX IF NOT EXISTS audit_subject_idx ON {s}audit_log (subject_id)",
        "CREATE INDEX IF NOT EXISTS audit_municipality_idx ON {s}audit_log (municipality, occurred_at)",
        "CREATE INDEX IF NOT EXISTS audit_time_idx ON {s}audit_log (occurred_at)",
        "CREATE TABLE IF NOT EXISTS {s}audit_aggregates (aggregate_id TEXT PRIMARY KEY, municipality TEXT NOT NULL)",
    ]
    STATEMENTS = {
        # The municipality an entry concerns: the event's own, else its aggregate's, else the actor's.
        "entry": "INSERT INTO {s}audit_log VALUES (?,?,?,?,?,?,?,?,?,?,?,?, COALESCE(?, (SELECT municipality "
                 "FROM {s}audit_aggregates g WHERE g.aggregate_id = ?), ?),?,?,?,?,?)",
        "aggregate": "INSERT INTO {s}audit_aggregates VALUES (?, ?) ON CONFLICT (aggregate_id) DO NOTHING",
    }


class SQLiteAuditView(SQLiteView, AuditView):
    pass


class PostgresAuditView(PostgresView, AuditView):
    pass
