"""The steering tables and statements; one class per storage backend."""

from __future__ import annotations

from projections.core.view import PostgresView, SQLiteView, View


class SteeringView(View):
    name = "steering"
    TABLES = ["st_members", "st_population", "st_placed_children", "st_budgets", "st_users", "st_placements",
              "st_referrals", "st_families", "st_non_execution", "st_published"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}st_members (member_id TEXT PRIMARY KEY, kommunkod TEXT NOT NULL UNIQUE, "
        "name TEXT NOT NULL, joined_on TEXT NOT NULL, left_on TEXT)",
        "CREATE TABLE IF NOT EXISTS {s}st_population (member_id TEXT NOT NULL, year INTEGER NOT NULL, "
        "children INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (member_id, year))",
        "CREATE TABLE IF NOT EXISTS {s}st_placed_children (member_id TEXT NOT NULL, year INTEGER NOT NULL, "
        "children INTEGER NOT NULL, source TEXT NOT NULL, PRIMARY KEY (member_id, year))",
        "CREATE TABLE IF NOT EXISTS {s}st_budgets (budget_id TEXT PRIMARY KEY, year INTEGER NOT NULL UNIQUE, "
        "amount_sek TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}st_users (user_id TEXT PRIMARY KEY, username TEXT NOT NULL, "
        "role TEXT NOT NULL, municipality TEXT, disabled BOOLEAN NOT NULL, added_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_users_name_idx ON {s}st_users (username)",
        "CREATE TABLE IF NOT EXISTS {s}st_placements (placement_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "family_id TEXT NOT NULL, kind TEXT NOT NULL, referral_id TEXT, start_date TEXT NOT NULL, "
        "end_date TEXT, end_reason TEXT, child_birth_month TEXT NOT NULL, planned_end_date TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_placements_start_idx ON {s}st_placements (kind, start_date)",
        "CREATE INDEX IF NOT EXISTS st_placements_mun_idx ON {s}st_placements (municipality, start_date)",
        "CREATE INDEX IF NOT EXISTS st_placements_end_idx ON {s}st_placements (end_date)",
        # Active and overdue on a day: (end_date IS NULL OR end_date > day) AND planned_end_date < day,
        # asked at read time.
        "CREATE INDEX IF NOT EXISTS st_placements_due_idx ON {s}st_placements (end_date, planned_end_date)",
        "CREATE TABLE IF NOT EXISTS {s}st_referrals (referral_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "kind TEXT NOT NULL, legal_basis TEXT NOT NULL, decision_date TEXT NOT NULL, child_birth_month TEXT NOT NULL, "
        "status TEXT NOT NULL, first_placement_on TEXT, ended_on TEXT, first_proposal_on TEXT, first_brokered_on TEXT)",
        "CREATE INDEX IF NOT EXISTS st_referrals_decision_idx ON {s}st_referrals (decision_date)",
        "CREATE INDEX IF NOT EXISTS st_referrals_status_idx ON {s}st_referrals (status, kind)",
        # The reason a decision is not executed yet, as its municipality states it (the quarterly report).
        "CREATE TABLE IF NOT EXISTS {s}st_non_execution (referral_id TEXT PRIMARY KEY, reason TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}st_families (family_id TEXT PRIMARY KEY, kinds TEXT NOT NULL, "
        "home_municipality TEXT NOT NULL, status TEXT NOT NULL, applied_on TEXT NOT NULL, approved_on TEXT, "
        "published_on TEXT, first_placement_on TEXT, child_age_min INTEGER NOT NULL, "
        "child_age_max INTEGER NOT NULL, max_children INTEGER NOT NULL, active_placements INTEGER NOT NULL, "
        "investigated_on TEXT, closed_on TEXT, home_type TEXT NOT NULL)",
        # Each stretch of time a family was published, so supply can be counted on any past day.
        "CREATE TABLE IF NOT EXISTS {s}st_published (family_id TEXT NOT NULL, from_day TEXT NOT NULL, to_day TEXT)",
        "CREATE INDEX IF NOT EXISTS st_published_idx ON {s}st_published (from_day, to_day)",
        "CREATE INDEX IF NOT EXISTS st_families_status_idx ON {s}st_families (status, applied_on)",
        "CREATE INDEX IF NOT EXISTS st_families_applied_idx ON {s}st_families (applied_on)",
    ]
    # Kept as row versions for ``as_of`` (projections/core/history.py): what the statistics and the
    # allocation they show read.
    HISTORY = {"st_members": "member_id", "st_population": "member_id", "st_placed_children": "member_id",
               "st_budgets": "budget_id", "st_placements": "placement_id", "st_referrals": "referral_id",
               "st_non_execution": "referral_id", "st_families": "family_id", "st_published": "family_id"}
    # An earlier date wins: the first placement or publication stays the first whatever the order.
    _EARLIEST = "CASE WHEN {col} IS NULL OR {col} > ? THEN ? ELSE {col} END"
    STATEMENTS = {
        "member": "INSERT INTO {s}st_members VALUES (?, ?, ?, ?, NULL) ON CONFLICT (member_id) DO NOTHING",
        "member_update": "UPDATE {s}st_members SET name = ?, joined_on = ? WHERE member_id = ?",
        "member_left": "UPDATE {s}st_members SET left_on = ? WHERE member_id = ?",
        "population": "INSERT INTO {s}st_population VALUES (?, ?, ?, ?) ON CONFLICT (member_id, year) "
                      "DO UPDATE SET children = excluded.children, source = excluded.source",
        "placed_children": "INSERT INTO {s}st_placed_children VALUES (?, ?, ?, ?) ON CONFLICT (member_id, year) "
                           "DO UPDATE SET children = excluded.children, source = excluded.source",
        "budget": "INSERT INTO {s}st_budgets VALUES (?, ?, ?) ON CONFLICT (budget_id) DO NOTHING",
        "budget_change": "UPDATE {s}st_budgets SET amount_sek = ? WHERE budget_id = ?",
        "user": "INSERT INTO {s}st_users VALUES (?, ?, ?, ?, FALSE, ?) ON CONFLICT (user_id) DO NOTHING",
        "user_disabled": "UPDATE {s}st_users SET disabled = ? WHERE user_id = ?",
        "placement": "INSERT INTO {s}st_placements VALUES (?,?,?,?,?,?,NULL,NULL,?,?) "
                     "ON CONFLICT (placement_id) DO NOTHING",
        "placement_extend": "UPDATE {s}st_placements SET planned_end_date = ? WHERE placement_id = ?",
        "placement_end": "UPDATE {s}st_placements SET end_date = ?, end_reason = ? WHERE placement_id = ?",
        "referral": "INSERT INTO {s}st_referrals VALUES (?,?,?,?,?,?,'open',NULL,NULL,NULL,NULL) "
                    "ON CONFLICT (referral_id) DO NOTHING",
        "referral_edit": "UPDATE {s}st_referrals SET decision_date = ?, child_birth_month = ? WHERE referral_id = ?",
        "non_execution": "INSERT INTO {s}st_non_execution VALUES (?, ?) ON CONFLICT (referral_id) "
                         "DO UPDATE SET reason = excluded.reason",
        "referral_status": "UPDATE {s}st_referrals SET status = ? WHERE referral_id = ?",
        "referral_proposed": "UPDATE {s}st_referrals SET first_proposal_on = "
                             + _EARLIEST.format(col="first_proposal_on") + " WHERE referral_id = ?",
        "referral_brokered": "UPDATE {s}st_referrals SET status = 'matched', first_brokered_on = "
                             + _EARLIEST.format(col="first_brokered_on") + " WHERE referral_id = ?",
        "referral_ended": "UPDATE {s}st_referrals SET status = ?, ended_on = ? WHERE referral_id = ?",
        "referral_placed": "UPDATE {s}st_referrals SET status = 'placed', first_placement_on = "
                           + _EARLIEST.format(col="first_placement_on") + " WHERE referral_id = ?",
        "family": "INSERT INTO {s}st_families VALUES (?,?,?,'applied',?,NULL,NULL,NULL,?,?,?,0,NULL,NULL,'recruited') "
                  "ON CONFLICT (family_id) DO NOTHING",
        "family_status": "UPDATE {s}st_families SET status = ? WHERE family_id = ?",
        "family_home_type": "UPDATE {s}st_families SET home_type = ? WHERE family_id = ?",
        "family_offer": "UPDATE {s}st_families SET kinds = ?, child_age_min = ?, child_age_max = ?, max_children = ? "
                        "WHERE family_id = ?",
        "family_move": "UPDATE {s}st_families SET home_municipality = ? WHERE family_id = ?",
        "family_closed": "UPDATE {s}st_families SET status = ?, closed_on = COALESCE(closed_on, ?) WHERE family_id = ?",
        "family_investigated": "UPDATE {s}st_families SET status = CASE WHEN status = 'applied' "
                               "THEN 'under_investigation' ELSE status END, investigated_on = "
                               + _EARLIEST.format(col="investigated_on") + " WHERE family_id = ?",
        "published_from": "INSERT INTO {s}st_published (family_id, from_day, to_day) VALUES (?, ?, NULL)",
        "published_to": "UPDATE {s}st_published SET to_day = ? WHERE family_id = ? AND to_day IS NULL",
        "family_approved": "UPDATE {s}st_families SET status = 'approved', approved_on = ? WHERE family_id = ?",
        "family_published": "UPDATE {s}st_families SET status = 'published', published_on = "
                            + _EARLIEST.format(col="published_on") + " WHERE family_id = ?",
        "family_placed": "UPDATE {s}st_families SET active_placements = active_placements + 1, first_placement_on = "
                         + _EARLIEST.format(col="first_placement_on") + " WHERE family_id = ?",
        "family_placement_ended": "UPDATE {s}st_families SET active_placements = active_placements - 1 "
                                  "WHERE family_id = (SELECT family_id FROM {s}st_placements WHERE placement_id = ?)",
    }


class SQLiteSteeringView(SQLiteView, SteeringView):
    pass


class PostgresSteeringView(PostgresView, SteeringView):
    pass
