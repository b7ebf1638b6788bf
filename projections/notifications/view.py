"""The notifications view's tables: what the projection needs to match, the notices, and the outbox.

``nt_*`` tables are rebuilt from the events like any view. The outbox and the read marks are NOT:
they record what was sent and read, which no event holds, so a rebuild keeps them; the projection
inserts outbox rows with ids derived from the event (``ON CONFLICT DO NOTHING``), so a rebuild that
replays old events never queues an e-mail twice.
"""

from __future__ import annotations

from projections.core.view import PostgresView, SQLiteView, View

# Whether a saved search (s) matches a family (f): the catalogue filter's rules, in one place.
MATCHES = (
    "NOT s.deleted AND f.published AND f.max_children > f.active_placements "
    "AND (s.kind IS NULL OR f.kinds LIKE '%|' || s.kind || '|%') "
    "AND (s.child_age IS NULL OR (f.child_age_min <= s.child_age AND f.child_age_max >= s.child_age)) "
    "AND (s.siblings IS NULL OR f.siblings_ok = s.siblings) "
    "AND (s.language IS NULL OR f.languages LIKE '%|' || s.language || '|%') "
    "AND (s.area IS NULL OR f.area_code = s.area) "
    "AND (s.referral_id IS NULL OR EXISTS (SELECT 1 FROM {s}nt_referrals r "
    "WHERE r.referral_id = s.referral_id AND r.active))"
)
NOTICE_COLUMNS = "(notice_id, user_id, kind, family_id, referral_id, search_id, created_at, position)"


class NotificationsView(View):
    name = "notifications"
    TABLES = ["nt_users", "nt_families", "nt_codes", "nt_searches", "nt_referrals", "nt_proposals", "nt_notices"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}nt_users (user_id TEXT PRIMARY KEY, username TEXT NOT NULL, "
        "role TEXT NOT NULL, municipality TEXT, mode TEXT NOT NULL, has_email BOOLEAN NOT NULL, "
        "disabled BOOLEAN NOT NULL, contacts TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS nt_users_role_idx ON {s}nt_users (role)",
        "CREATE TABLE IF NOT EXISTS {s}nt_families (family_id TEXT PRIMARY KEY, kinds TEXT NOT NULL, "
        "area_code TEXT NOT NULL, child_age_min INTEGER NOT NULL, child_age_max INTEGER NOT NULL, "
        "siblings_ok BOOLEAN NOT NULL, languages TEXT NOT NULL, max_children INTEGER NOT NULL, "
        "active_placements INTEGER NOT NULL, published BOOLEAN NOT NULL)",
        # The catalogue's codes by the catalogue's own rule (order of first publication): the same FP-nnnn.
        "CREATE TABLE IF NOT EXISTS {s}nt_codes (family_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS {s}nt_searches (search_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
        "municipality TEXT NOT NULL, kind TEXT, child_age INTEGER, siblings BOOLEAN, language TEXT, area TEXT, "
        "referral_id TEXT, created_at TEXT NOT NULL, deleted BOOLEAN NOT NULL)",
        "CREATE INDEX IF NOT EXISTS nt_searches_user_idx ON {s}nt_searches (user_id, created_at)",
        "CREATE TABLE IF NOT EXISTS {s}nt_referrals (referral_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "active BOOLEAN NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}nt_proposals (referral_id TEXT NOT NULL, family_id TEXT NOT NULL, "
        "PRIMARY KEY (referral_id, family_id))",
        "CREATE TABLE IF NOT EXISTS {s}nt_notices (notice_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
        "kind TEXT NOT NULL, family_id TEXT, referral_id TEXT, search_id TEXT, created_at TEXT NOT NULL, "
        "position BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS nt_notices_user_idx ON {s}nt_notices (user_id, created_at)",
        "CREATE INDEX IF NOT EXISTS nt_notices_position_idx ON {s}nt_notices (position)",
        # Kept across rebuilds (not in TABLES): what was sent, and what each user has read.
        "CREATE TABLE IF NOT EXISTS {s}notification_outbox (outbox_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
        "kind TEXT NOT NULL, notice_ids TEXT NOT NULL, created_at TEXT NOT NULL, state TEXT NOT NULL, "
        "attempts INTEGER NOT NULL, next_attempt_at TEXT NOT NULL, last_error TEXT NOT NULL, sent_at TEXT)",
        "CREATE INDEX IF NOT EXISTS notification_outbox_due_idx ON {s}notification_outbox (state, next_attempt_at)",
        "CREATE TABLE IF NOT EXISTS {s}notification_reads (notice_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, "
        "read_at TEXT NOT NULL)",
    ]
    STATEMENTS = {
        "user": "INSERT INTO {s}nt_users VALUES (?, ?, ?, ?, 'immediate', ?, ?, '') ON CONFLICT (user_id) DO NOTHING",
        "user_contacts": "UPDATE {s}nt_users SET contacts = ? WHERE user_id = ?",
        "user_mode": "UPDATE {s}nt_users SET mode = ? WHERE user_id = ?",
        "user_email": "UPDATE {s}nt_users SET has_email = ? WHERE user_id = ?",
        "user_disabled": "UPDATE {s}nt_users SET disabled = ? WHERE user_id = ?",
        "family": "INSERT INTO {s}nt_families VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (family_id) DO NOTHING",
        "published": "UPDATE {s}nt_families SET published = ? WHERE family_id = ?",
        "forget_family": "DELETE FROM {s}nt_families WHERE family_id = ?",
        "placed": "UPDATE {s}nt_families SET active_placements = active_placements + ? WHERE family_id = ?",
        "code": "INSERT INTO {s}nt_codes (family_id, seq) SELECT ?, COALESCE(MAX(seq), 0) + 1 FROM {s}nt_codes "
                "WHERE 1 = 1 ON CONFLICT (family_id) DO NOTHING",
        "search": "INSERT INTO {s}nt_searches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (search_id) DO NOTHING",
        "search_deleted": "UPDATE {s}nt_searches SET deleted = ? WHERE search_id = ?",
        "referral": "INSERT INTO {s}nt_referrals VALUES (?, ?, ?) ON CONFLICT (referral_id) DO NOTHING",
        "referral_active": "UPDATE {s}nt_referrals SET active = ? WHERE referral_id = ?",
        "proposal": "INSERT INTO {s}nt_proposals VALUES (?, ?) ON CONFLICT (referral_id, family_id) DO NOTHING",
        # A family published (or with a place freed): one notice per matching saved search of an enabled user.
        "notify_match": f"INSERT INTO {{s}}nt_notices {NOTICE_COLUMNS} "
                        "SELECT CAST(? AS TEXT) || ':' || s.search_id, s.user_id, CAST(? AS TEXT), f.family_id, "
                        "s.referral_id, s.search_id, CAST(? AS TEXT), CAST(? AS BIGINT) "
                        "FROM {s}nt_searches s JOIN {s}nt_families f ON f.family_id = ? "
                        "JOIN {s}nt_users u ON u.user_id = s.user_id AND NOT u.disabled "
                        f"WHERE {MATCHES} ON CONFLICT (notice_id) DO NOTHING",
        "notify_freed": f"INSERT INTO {{s}}nt_notices {NOTICE_COLUMNS} "
                        "SELECT CAST(? AS TEXT) || ':' || s.search_id, s.user_id, CAST(? AS TEXT), f.family_id, "
                        "s.referral_id, s.search_id, CAST(? AS TEXT), CAST(? AS BIGINT) "
                        "FROM {s}nt_searches s JOIN {s}nt_families f ON f.family_id = ? "
                        "JOIN {s}nt_users u ON u.user_id = s.user_id AND NOT u.disabled "
                        f"WHERE {MATCHES} AND f.max_children - f.active_placements = 1 "
                        "ON CONFLICT (notice_id) DO NOTHING",
        # A new interest: one notice per enabled pool staff user who follows the interest's member (or
        # follows all: no kontaktkommuner set); "answered proposal" if the family was proposed for the referral.
        "notify_staff": f"INSERT INTO {{s}}nt_notices {NOTICE_COLUMNS} "
                        "SELECT CAST(? AS TEXT) || ':' || u.user_id, u.user_id, "
                        "CASE WHEN EXISTS (SELECT 1 FROM {s}nt_proposals p WHERE p.referral_id = ? "
                        "AND p.family_id = ?) THEN 'proposal_answered' ELSE 'interest' END, "
                        "CAST(? AS TEXT), CAST(? AS TEXT), NULL, CAST(? AS TEXT), CAST(? AS BIGINT) "
                        "FROM {s}nt_users u WHERE u.role = 'pool_staff' AND NOT u.disabled "
                        "AND (u.contacts = '' OR u.contacts LIKE '%|' || CAST(? AS TEXT) || '|%') "
                        "ON CONFLICT (notice_id) DO NOTHING",
        # The event's notices to whoever wants e-mail at once (and has an address): the outbox.
        "outbox": "INSERT INTO {s}notification_outbox SELECT n.notice_id, n.user_id, 'notice', n.notice_id, "
                  "n.created_at, 'pending', 0, n.created_at, '', NULL FROM {s}nt_notices n "
                  "JOIN {s}nt_users u ON u.user_id = n.user_id "
                  "WHERE n.position = ? AND u.mode = 'immediate' AND u.has_email "
                  "ON CONFLICT (outbox_id) DO NOTHING",
    }


class SQLiteNotificationsView(SQLiteView, NotificationsView):
    pass


class PostgresNotificationsView(PostgresView, NotificationsView):
    def translate(self, statement: str) -> str:
        # The matching's LIKE patterns are literals here: psycopg wants a literal % doubled.
        return super().translate(statement.replace("%", "%%"))
