"""The municipality views' tables and statements; one class per storage backend."""

from __future__ import annotations

from projections.core.view import PostgresView, SQLiteView, View


class MunicipalityView(View):
    name = "municipality"
    TABLES = ["mv_referrals", "mv_proposals", "mv_interests", "mv_placements", "mv_codes", "mv_queue_families",
              "mv_interest_extra", "mv_interest_referrals", "mv_passes"]
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
        "planned_end_date TEXT NOT NULL, end_date TEXT, end_reason TEXT, child_birth_month TEXT NOT NULL, "
        "age_override BOOLEAN NOT NULL)",
        "CREATE INDEX IF NOT EXISTS mv_placements_mun_idx ON {s}mv_placements (municipality, end_date)",
        # Overdue is a condition on today's date (end_date IS NULL AND planned_end_date < today), asked at read time.
        "CREATE INDEX IF NOT EXISTS mv_placements_due_idx ON {s}mv_placements (end_date, planned_end_date)",
        "CREATE TABLE IF NOT EXISTS {s}mv_codes (family_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE)",
        # The queue (issue 12): whether a family is available (published) and its places, so a pending
        # interest shows "vilande" while the family is not; added tables, filled by a rebuild.
        "CREATE INDEX IF NOT EXISTS mv_placements_family_idx ON {s}mv_placements (family_id, end_date)",
        "CREATE TABLE IF NOT EXISTS {s}mv_queue_families (family_id TEXT PRIMARY KEY, available INTEGER NOT NULL, "
        "capacity INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}mv_interest_extra (interest_id TEXT PRIMARY KEY, broker_reason_code TEXT, "
        "link_outcome TEXT)",
        "CREATE TABLE IF NOT EXISTS {s}mv_interest_referrals (interest_id TEXT NOT NULL, referral_id TEXT NOT NULL, "
        "PRIMARY KEY (interest_id, referral_id))",
        "CREATE TABLE IF NOT EXISTS {s}mv_passes (interest_id TEXT NOT NULL, by_interest_id TEXT NOT NULL, "
        "reason_code TEXT NOT NULL, passed_at TEXT NOT NULL, PRIMARY KEY (interest_id, by_interest_id))",
    ]
    # Kept as row versions for ``as_of`` (projections/core/history.py): every table the lists read.
    HISTORY = {"mv_referrals": "referral_id", "mv_proposals": "referral_id", "mv_interests": "interest_id",
               "mv_placements": "placement_id", "mv_codes": "family_id", "mv_queue_families": "family_id",
               "mv_interest_extra": "interest_id", "mv_interest_referrals": "interest_id",
               "mv_passes": "interest_id"}
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
        "placement": "INSERT INTO {s}mv_placements VALUES (?,?,?,?,?,?,?,NULL,NULL,?,?) "
                     "ON CONFLICT (placement_id) DO NOTHING",
        "placement_extend": "UPDATE {s}mv_placements SET planned_end_date = ? WHERE placement_id = ?",
        "placement_end": "UPDATE {s}mv_placements SET end_date = ?, end_reason = ? WHERE placement_id = ?",
        "queue_family": "INSERT INTO {s}mv_queue_families VALUES (?, 0, ?) ON CONFLICT (family_id) DO NOTHING",
        "queue_available": "UPDATE {s}mv_queue_families SET available = ? WHERE family_id = ?",
        "interest_referral": "INSERT INTO {s}mv_interest_referrals VALUES (?, ?) "
                             "ON CONFLICT (interest_id, referral_id) DO NOTHING",
        "broker_reason": "INSERT INTO {s}mv_interest_extra (interest_id, broker_reason_code) VALUES (?, ?) "
                         "ON CONFLICT (interest_id) DO UPDATE SET broker_reason_code = excluded.broker_reason_code",
        "link_outcome": "INSERT INTO {s}mv_interest_extra (interest_id, link_outcome) VALUES (?, ?) "
                        "ON CONFLICT (interest_id) DO UPDATE SET link_outcome = excluded.link_outcome",
        "pass": "INSERT INTO {s}mv_passes VALUES (?, ?, ?, ?) ON CONFLICT (interest_id, by_interest_id) DO NOTHING",
    }


class SQLiteMunicipalityView(SQLiteView, MunicipalityView):
    pass


class PostgresMunicipalityView(PostgresView, MunicipalityView):
    pass
