"""Materialised views: one abstract interface per read model, one class per storage backend.

Every view is an eventsourcing ``TrackingRecorder``: its tables live in the same database (and
schema) as the events, next to a tracking table of its own (``<name>_tracking``). A projection
hands a view a *batch* of changes together with the tracking object of the last event that
produced them; ``apply_batch`` writes the changes and the tracking row in ONE transaction, so a
view can never hold a change whose event is not tracked, nor track an event whose change is lost.

Changes are ``(statement_key, params)`` pairs: the view owns its SQL (``STATEMENTS``), the
projection only decides which change an event makes. Statements are written once with ``?``
placeholders and ``{s}`` for the schema prefix and translated per backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

Change = tuple[str, Sequence[Any]]

APPLICATION_NAME = "familjepool"


class View(TrackingRecorder, ABC):
    """The interface every view offers the projections and the read side."""

    name: ClassVar[str]
    DDL: ClassVar[list[str]] = []  # CREATE TABLE / INDEX statements ({s} = schema prefix)
    TABLES: ClassVar[list[str]] = []  # dropped (in this order) by a rebuild
    STATEMENTS: ClassVar[dict[str, str]] = {}

    @property
    def tracking_table(self) -> str:
        return f"{self.name}_tracking"

    @abstractmethod
    def apply_batch(self, changes: Sequence[Change], tracking: Tracking) -> None:
        """Write the changes and the tracking object in one transaction."""

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read-only statement (``?`` placeholders, ``{s}`` schema prefix)."""

    def execute_now(self, changes: Sequence[Change]) -> None:
        """Write changes that derive from no event (re-banding ages at a year change)."""
        # Both backends' datastores give a cursor from transaction(); self._sql is per backend.
        with self.datastore.transaction(commit=True) as c:  # type: ignore[attr-defined]
            for key, params in changes:
                c.execute(self._sql[key], params)  # type: ignore[attr-defined]

    @abstractmethod
    def drop(self) -> None:
        """Drop the view's tables and its tracking row (a rebuild then replays from 0)."""

    def position(self) -> int:
        return self.max_tracking_id(APPLICATION_NAME) or 0

    def count(self, sql: str, params: Sequence[Any] = ()) -> int:
        rows = self.query(sql, params)
        value = next(iter(rows[0].values())) if rows else 0
        return int(value or 0)

    @abstractmethod
    def head(self) -> int:
        """The last notification id in the event store (same database)."""


def _group(changes: Sequence[Change]) -> list[tuple[str, list[Sequence[Any]]]]:
    """Consecutive changes with the same statement become one executemany."""
    groups: list[tuple[str, list[Sequence[Any]]]] = []
    for key, params in changes:
        if groups and groups[-1][0] == key:
            groups[-1][1].append(params)
        else:
            groups.append((key, [params]))
    return groups


class SQLiteView(SQLiteTrackingRecorder, View):
    """SQLite: the library's tracking recorder with a tracking table per view."""

    def __init__(self, datastore: Any, **kwargs: Any):
        super().__init__(datastore, **kwargs)
        t = self.tracking_table
        self.insert_tracking_statement = (
            f"INSERT INTO {t} VALUES (:application_name, :notification_id) "
            f"ON CONFLICT (application_name) DO UPDATE SET notification_id = :notification_id "
            f"WHERE {t}.notification_id < :notification_id RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = f"SELECT MAX(notification_id) FROM {t} WHERE application_name=?"
        self._sql = {k: self.sql(v) for k, v in self.STATEMENTS.items()}

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table} (application_name TEXT, notification_id INTEGER, "
            "PRIMARY KEY (application_name)) WITHOUT ROWID"
        ]

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            for statement in self.DDL:
                c.execute(self.sql(statement))

    @staticmethod
    def sql(statement: str) -> str:
        return statement.replace("{s}", "")

    def apply_batch(self, changes: Sequence[Change], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            for key, params in _group(changes):
                if len(params) == 1:
                    c.execute(self._sql[key], params[0])
                else:
                    c.executemany(self._sql[key], params)
            self._insert_tracking(c, tracking)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.sql(sql), list(params))
            return [dict(row) for row in c.fetchall()]

    def head(self) -> int:
        return self.count("SELECT MAX(rowid) AS head FROM stored_events") or 0

    def drop(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for table in self.TABLES:
                c.execute(f"DROP TABLE IF EXISTS {table}")
            c.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", [APPLICATION_NAME])
        self.create_table()


class PostgresView(PostgresTrackingRecorder, View):
    """PostgreSQL: the library's tracking recorder; tables in the events' schema."""

    def __init__(self, datastore: Any, **kwargs: Any):
        kwargs.setdefault("tracking_table_name", f"{self.name}_tracking")
        super().__init__(datastore, **kwargs)
        self._sql = {k: self.sql(v) for k, v in self.STATEMENTS.items()}

    @property
    def tracking_table(self) -> str:
        return f"{self.name}_tracking"

    def sql(self, statement: str) -> str:
        schema = self.datastore.schema.replace('"', '""')
        return statement.replace("{s}", f'"{schema}".').replace("?", "%s")

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            for statement in self.DDL:
                c.execute(self.sql(statement), prepare=False)

    def apply_batch(self, changes: Sequence[Change], tracking: Tracking) -> None:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as c:
            with conn.pipeline():
                for key, params in _group(changes):
                    if len(params) == 1:
                        c.execute(self._sql[key], params[0])
                    else:
                        c.executemany(self._sql[key], params)
            self._insert_tracking(c, tracking)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.get_connection() as conn, conn.cursor() as c:
            c.execute(self.sql(sql), list(params))
            return [dict(row) for row in c.fetchall()]

    def head(self) -> int:
        return self.count("SELECT MAX(notification_id) AS head FROM {s}familjepool_events") or 0

    def drop(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for table in self.TABLES:
                c.execute(self.sql(f"DROP TABLE IF EXISTS {{s}}{table} CASCADE"))
            c.execute(self.sql(f"DELETE FROM {{s}}{self.tracking_table} WHERE application_name = ?"),
                      [APPLICATION_NAME])
        self.create_table()


# ------------------------------------------------------------------------------------------------
# 2. Municipality views: referrals, interests, placements, each keyed by municipality
# ------------------------------------------------------------------------------------------------

class MunicipalityView(View):
    name = "municipality"
    TABLES = ["mv_referrals", "mv_proposals", "mv_interests", "mv_placements", "mv_codes"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}mv_referrals (referral_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "status TEXT NOT NULL, kind TEXT NOT NULL, legal_basis TEXT NOT NULL, decision_date TEXT NOT NULL, "
        "child_birth_month TEXT NOT NULL, registered_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS mv_referrals_mun_idx ON {s}mv_referrals (municipality, status)",
        "CREATE TABLE IF NOT EXISTS {s}mv_proposals (referral_id TEXT NOT NULL, family_id TEXT NOT NULL, "
        "proposed_at TEXT NOT NULL, PRIMARY KEY (referral_id, family_id))",
        "CREATE TABLE IF NOT EXISTS {s}mv_interests (interest_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "family_id TEXT NOT NULL, referral_id TEXT, status TEXT NOT NULL, arrival BIGINT NOT NULL, "
        "expressed_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS mv_interests_mun_idx ON {s}mv_interests (municipality, status)",
        "CREATE INDEX IF NOT EXISTS mv_interests_family_idx ON {s}mv_interests (family_id, status, arrival)",
        "CREATE TABLE IF NOT EXISTS {s}mv_placements (placement_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "family_id TEXT NOT NULL, kind TEXT NOT NULL, referral_id TEXT, start_date TEXT NOT NULL, "
        "planned_end_date TEXT NOT NULL, end_date TEXT, end_reason TEXT, child_birth_month TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS mv_placements_mun_idx ON {s}mv_placements (municipality, end_date)",
        "CREATE TABLE IF NOT EXISTS {s}mv_codes (family_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE)",
    ]
    STATEMENTS = {
        "code": "INSERT INTO {s}mv_codes (family_id, seq) SELECT ?, COALESCE(MAX(seq), 0) + 1 FROM {s}mv_codes "
                "WHERE 1 = 1 ON CONFLICT (family_id) DO NOTHING",
        "referral": "INSERT INTO {s}mv_referrals VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (referral_id) DO NOTHING",
        "referral_status": "UPDATE {s}mv_referrals SET status = ?, updated_at = ? WHERE referral_id = ?",
        "referral_edit": "UPDATE {s}mv_referrals SET decision_date = ?, child_birth_month = ?, updated_at = ? "
                         "WHERE referral_id = ?",
        "propose": "INSERT INTO {s}mv_proposals VALUES (?, ?, ?) ON CONFLICT (referral_id, family_id) DO NOTHING",
        "interest": "INSERT INTO {s}mv_interests VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (interest_id) DO NOTHING",
        "interest_status": "UPDATE {s}mv_interests SET status = ?, updated_at = ? WHERE interest_id = ?",
        "placement": "INSERT INTO {s}mv_placements VALUES (?,?,?,?,?,?,?,NULL,NULL,?) "
                     "ON CONFLICT (placement_id) DO NOTHING",
        "placement_end": "UPDATE {s}mv_placements SET end_date = ?, end_reason = ? WHERE placement_id = ?",
    }


class SQLiteMunicipalityView(SQLiteView, MunicipalityView):
    pass


class PostgresMunicipalityView(PostgresView, MunicipalityView):
    pass


# ------------------------------------------------------------------------------------------------
# 3. The pool register (names stay sealed, as in the events)
# ------------------------------------------------------------------------------------------------

class RegisterView(View):
    name = "register"
    TABLES = ["reg_families", "reg_steps", "reg_interests", "reg_referrals"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}reg_families (family_id TEXT PRIMARY KEY, names TEXT, status TEXT NOT NULL, "
        "kinds TEXT NOT NULL, home_municipality TEXT NOT NULL, applied_on TEXT NOT NULL, "
        "last_action_at TEXT NOT NULL, checklist_done INTEGER NOT NULL, checklist_required INTEGER NOT NULL, "
        "active_placements INTEGER NOT NULL, arrival BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS reg_families_status_idx ON {s}reg_families (status, applied_on)",
        "CREATE TABLE IF NOT EXISTS {s}reg_steps (family_id TEXT NOT NULL, step TEXT NOT NULL, "
        "PRIMARY KEY (family_id, step))",
        "CREATE TABLE IF NOT EXISTS {s}reg_interests (interest_id TEXT PRIMARY KEY, family_id TEXT NOT NULL, "
        "municipality TEXT NOT NULL, referral_id TEXT, status TEXT NOT NULL, arrival BIGINT NOT NULL, "
        "expressed_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS reg_interests_family_idx ON {s}reg_interests (family_id, arrival)",
        "CREATE TABLE IF NOT EXISTS {s}reg_referrals (referral_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "decision_date TEXT NOT NULL)",
    ]
    STATEMENTS = {
        "family": "INSERT INTO {s}reg_families VALUES (?,?,?,?,?,?,?,0,?,0,?) ON CONFLICT (family_id) DO NOTHING",
        "status": "UPDATE {s}reg_families SET status = ?, last_action_at = ? WHERE family_id = ?",
        "touch": "UPDATE {s}reg_families SET last_action_at = ? WHERE family_id = ?",
        "erase": "UPDATE {s}reg_families SET names = NULL, status = 'erased', last_action_at = ? WHERE family_id = ?",
        "step": "INSERT INTO {s}reg_steps VALUES (?, ?) ON CONFLICT (family_id, step) DO NOTHING",
        "count_steps": "UPDATE {s}reg_families SET checklist_done = (SELECT COUNT(*) FROM {s}reg_steps st "
                       "WHERE st.family_id = {s}reg_families.family_id), status = ?, last_action_at = ? "
                       "WHERE family_id = ?",
        "placed": "UPDATE {s}reg_families SET active_placements = active_placements + ?, last_action_at = ? "
                  "WHERE family_id = ?",
        "interest": "INSERT INTO {s}reg_interests VALUES (?,?,?,?,?,?,?) ON CONFLICT (interest_id) DO NOTHING",
        "interest_status": "UPDATE {s}reg_interests SET status = ? WHERE interest_id = ?",
        "referral": "INSERT INTO {s}reg_referrals VALUES (?, ?, ?) ON CONFLICT (referral_id) DO NOTHING",
        "referral_edit": "UPDATE {s}reg_referrals SET decision_date = ? WHERE referral_id = ?",
    }


class SQLiteRegisterView(SQLiteView, RegisterView):
    pass


class PostgresRegisterView(PostgresView, RegisterView):
    pass


# ------------------------------------------------------------------------------------------------
# 4. The audit trail (append-only: the projection only ever inserts)
# ------------------------------------------------------------------------------------------------

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


# The full set (with the steering read model) is projections.registry.VIEW_CLASSES.
CORE_VIEWS: dict[str, dict[str, type[View]]] = {
    "municipality": {"sqlite": SQLiteMunicipalityView, "postgres": PostgresMunicipalityView},
    "register": {"sqlite": SQLiteRegisterView, "postgres": PostgresRegisterView},
    "audit": {"sqlite": SQLiteAuditView, "postgres": PostgresAuditView},
}
