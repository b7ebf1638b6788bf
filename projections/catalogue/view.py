"""The catalogue's tables and statements; one class per storage backend."""

from __future__ import annotations

from projections.core.view import PostgresView, SQLiteView, View


class CatalogueView(View):
    """Published families without anything that identifies them.

    ``catalogue_source`` keeps the non-personal facts of every family (kinds, home municipality,
    birth YEARS for re-banding, preferences, capacity) so that publishing can copy a row; the
    served table ``catalogue`` holds only bands, never a year or a date of birth.
    """

    name = "catalogue"
    TABLES = ["catalogue", "catalogue_source", "catalogue_training", "catalogue_codes", "catalogue_areas",
              "catalogue_kinds", "catalogue_languages", "catalogue_match", "catalogue_promises",
              "catalogue_availability"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}catalogue_source (family_id TEXT PRIMARY KEY, kinds TEXT NOT NULL, "
        "home_municipality TEXT NOT NULL, adult_birth_years TEXT NOT NULL, child_birth_years TEXT NOT NULL, "
        "adult_bands TEXT NOT NULL, child_bands TEXT NOT NULL, bands_year INTEGER NOT NULL, "
        "child_age_min INTEGER NOT NULL, child_age_max INTEGER NOT NULL, max_children INTEGER NOT NULL, "
        "siblings_ok BOOLEAN NOT NULL, languages TEXT NOT NULL, active_placements INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}catalogue (family_id TEXT PRIMARY KEY, kinds TEXT NOT NULL, "
        "area_code TEXT NOT NULL, adult_bands TEXT NOT NULL, child_bands TEXT NOT NULL, bands_year INTEGER NOT NULL, "
        "child_age_min INTEGER NOT NULL, child_age_max INTEGER NOT NULL, max_children INTEGER NOT NULL, "
        "siblings_ok BOOLEAN NOT NULL, languages TEXT NOT NULL, active_placements INTEGER NOT NULL, "
        "description TEXT NOT NULL, published_on TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS catalogue_area_idx ON {s}catalogue (area_code)",
        "CREATE INDEX IF NOT EXISTS catalogue_ages_idx ON {s}catalogue (child_age_min, child_age_max)",
        "CREATE TABLE IF NOT EXISTS {s}catalogue_training (family_id TEXT NOT NULL, course TEXT NOT NULL, "
        "PRIMARY KEY (family_id, course))",
        "CREATE TABLE IF NOT EXISTS {s}catalogue_codes (family_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE)",
        "CREATE TABLE IF NOT EXISTS {s}catalogue_areas (member_id TEXT PRIMARY KEY, kommunkod TEXT NOT NULL, "
        "name TEXT NOT NULL)",
        # For matching (pool/matching.py): the kinds each family offers, indexed by kind (the prefilter's
        # entry); the age bands of children placed before; when the last placement ended; places
        # promised by brokered referrals not yet placed. Non-personal facts, like catalogue_source.
        "CREATE TABLE IF NOT EXISTS {s}catalogue_kinds (kind TEXT NOT NULL, family_id TEXT NOT NULL, "
        "child_age_min INTEGER NOT NULL, child_age_max INTEGER NOT NULL, PRIMARY KEY (kind, family_id))",
        # The prefilter's entry: a range of one kind's families by the age they take, without
        # touching the catalogue rows of those too young a range excludes (a family's ages never change).
        "CREATE INDEX IF NOT EXISTS catalogue_kinds_ages_idx ON {s}catalogue_kinds "
        "(kind, child_age_max, child_age_min, family_id)",
        # The languages each family speaks, by language: the catalogue's language filter (an index, not LIKE).
        "CREATE TABLE IF NOT EXISTS {s}catalogue_languages (language TEXT NOT NULL, family_id TEXT NOT NULL, "
        "PRIMARY KEY (language, family_id))",
        # One row per family with what ranking needs besides the catalogue row, so the prefilter joins
        # one table: its code, when its last placement ended, places promised, experience by age band.
        "CREATE TABLE IF NOT EXISTS {s}catalogue_match (family_id TEXT PRIMARY KEY, seq INTEGER, last_ended TEXT, "
        "promised INTEGER NOT NULL, exp_small INTEGER NOT NULL, exp_school INTEGER NOT NULL, "
        "exp_teen INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}catalogue_promises (referral_id TEXT PRIMARY KEY, family_id TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS catalogue_promises_family_idx ON {s}catalogue_promises (family_id)",
        # The periods a jourhem said it can take a child at short notice (days, not about anyone).
        "CREATE TABLE IF NOT EXISTS {s}catalogue_availability (family_id TEXT NOT NULL, from_day TEXT NOT NULL, "
        "to_day TEXT NOT NULL, PRIMARY KEY (family_id, from_day))",
        "CREATE INDEX IF NOT EXISTS catalogue_availability_days_idx ON {s}catalogue_availability (to_day, from_day)",
    ]
    # Kept as row versions for ``as_of`` (projections/core/history.py): what the catalogue list and card read.
    HISTORY = {"catalogue": "family_id", "catalogue_codes": "family_id", "catalogue_areas": "member_id",
               "catalogue_training": "family_id"}
    STATEMENTS = {
        "forget_availability": "DELETE FROM {s}catalogue_availability WHERE family_id = ?",
        "availability": "INSERT INTO {s}catalogue_availability VALUES (?, ?, ?)",
        "source": "INSERT INTO {s}catalogue_source VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0) "
                  "ON CONFLICT (family_id) DO NOTHING",
        # Codes in order of first publication: a rebuild replays the same order, so the same codes.
        "code": "INSERT INTO {s}catalogue_codes (family_id, seq) "
                "SELECT ?, COALESCE(MAX(seq), 0) + 1 FROM {s}catalogue_codes WHERE 1 = 1 "
                "ON CONFLICT (family_id) DO NOTHING",
        "publish": "INSERT INTO {s}catalogue SELECT family_id, kinds, home_municipality, adult_bands, child_bands, "
                   "bands_year, child_age_min, child_age_max, max_children, siblings_ok, languages, "
                   "active_placements, ?, ? FROM {s}catalogue_source WHERE family_id = ? "
                   "ON CONFLICT (family_id) DO UPDATE SET description = excluded.description",
        "remove": "DELETE FROM {s}catalogue WHERE family_id = ?",
        "forget_source": "DELETE FROM {s}catalogue_source WHERE family_id = ?",
        "forget_training": "DELETE FROM {s}catalogue_training WHERE family_id = ?",
        "training": "INSERT INTO {s}catalogue_training VALUES (?, ?) ON CONFLICT (family_id, course) DO NOTHING",
        "placed_source": "UPDATE {s}catalogue_source SET active_placements = active_placements + ? WHERE family_id = ?",
        "placed": "UPDATE {s}catalogue SET active_placements = active_placements + ? WHERE family_id = ?",
        "area": "INSERT INTO {s}catalogue_areas VALUES (?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET name = excluded.name",
        "area_rename": "UPDATE {s}catalogue_areas SET name = ? WHERE member_id = ?",
        "reband_source": "UPDATE {s}catalogue_source SET adult_bands = ?, child_bands = ?, bands_year = ? "
                         "WHERE family_id = ?",
        "reband": "UPDATE {s}catalogue SET adult_bands = ?, child_bands = ?, bands_year = ? WHERE family_id = ?",
        # A maintained record (issue 12): the household, the offer and a move reach the catalogue at once.
        "household_source": "UPDATE {s}catalogue_source SET adult_birth_years = ?, child_birth_years = ?, "
                            "adult_bands = ?, child_bands = ?, bands_year = ? WHERE family_id = ?",
        "offer_source": "UPDATE {s}catalogue_source SET kinds = ?, child_age_min = ?, child_age_max = ?, "
                        "max_children = ?, siblings_ok = ?, languages = ? WHERE family_id = ?",
        "offer": "UPDATE {s}catalogue SET kinds = ?, child_age_min = ?, child_age_max = ?, max_children = ?, "
                 "siblings_ok = ?, languages = ? WHERE family_id = ?",
        "move_source": "UPDATE {s}catalogue_source SET home_municipality = ? WHERE family_id = ?",
        "move": "UPDATE {s}catalogue SET area_code = ? WHERE family_id = ?",
        "offers": "INSERT INTO {s}catalogue_kinds VALUES (?, ?, ?, ?) ON CONFLICT (kind, family_id) DO NOTHING",
        "forget_offers": "DELETE FROM {s}catalogue_kinds WHERE family_id = ?",
        "speaks": "INSERT INTO {s}catalogue_languages VALUES (?, ?) ON CONFLICT (language, family_id) DO NOTHING",
        "forget_languages": "DELETE FROM {s}catalogue_languages WHERE family_id = ?",
        "match_row": "INSERT INTO {s}catalogue_match (family_id, promised, exp_small, exp_school, exp_teen) "
                     "VALUES (?, 0, 0, 0, 0) ON CONFLICT (family_id) DO NOTHING",
        "match_code": "UPDATE {s}catalogue_match SET seq = (SELECT seq FROM {s}catalogue_codes k WHERE k.family_id = ?) "
                      "WHERE family_id = ?",
        "forget_match": "DELETE FROM {s}catalogue_match WHERE family_id = ?",
        "ended": "UPDATE {s}catalogue_match SET last_ended = ? WHERE family_id = ?",
        "experience_0-6": "UPDATE {s}catalogue_match SET exp_small = 1 WHERE family_id = ?",
        "experience_7-12": "UPDATE {s}catalogue_match SET exp_school = 1 WHERE family_id = ?",
        "experience_13-17": "UPDATE {s}catalogue_match SET exp_teen = 1 WHERE family_id = ?",
        # A referral matched again moves its promise: the old family's count first, then the new one's.
        "unpromise_count": "UPDATE {s}catalogue_match SET promised = promised - 1 WHERE family_id IN "
                           "(SELECT family_id FROM {s}catalogue_promises WHERE referral_id = ?)",
        "unpromise": "DELETE FROM {s}catalogue_promises WHERE referral_id = ?",
        "promise": "INSERT INTO {s}catalogue_promises VALUES (?, ?) ON CONFLICT (referral_id) DO NOTHING",
        "promise_count": "UPDATE {s}catalogue_match SET promised = promised + 1 WHERE family_id = ?",
    }

    SELECT = ("SELECT c.*, k.seq, a.name AS area_name FROM {s}catalogue c "
              "JOIN {s}catalogue_codes k ON k.family_id = c.family_id "
              "LEFT JOIN {s}catalogue_areas a ON a.kommunkod = c.area_code")


    # What ranking needs of a family (pool.matching.Candidate); `band` marks experience with the referral's band.
    MATCH_SELECT = ("SELECT c.family_id, mt.seq, c.kinds, c.area_code, c.child_age_min, c.child_age_max, "
                    "c.max_children, c.active_placements, c.siblings_ok, c.languages, c.published_on, "
                    "mt.last_ended, mt.promised, mt.exp_small, mt.exp_school, mt.exp_teen ")
    MATCH_JOINS = "JOIN {s}catalogue_match mt ON mt.family_id = c.family_id "
    EXPERIENCE = {"0-6": "exp_small", "7-12": "exp_school", "13-17": "exp_teen"}

    # The dialects differ in the SQL mirror of the score (queries.py): days between two ISO days, the
    # larger and smaller of two values.
    DAYS_SINCE = ""
    GREATEST = ""
    LEAST = ""


class SQLiteCatalogueView(SQLiteView, CatalogueView):
    DAYS_SINCE = "CAST(julianday(?) - julianday({day}) AS INTEGER)"
    GREATEST = "MAX"
    LEAST = "MIN"


class PostgresCatalogueView(PostgresView, CatalogueView):
    DAYS_SINCE = "(CAST(? AS date) - CAST({day} AS date))"
    GREATEST = "GREATEST"
    LEAST = "LEAST"
