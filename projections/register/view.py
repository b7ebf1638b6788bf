"""The register's tables and statements; one class per storage backend."""

from __future__ import annotations

from projections.core.view import PostgresView, SQLiteView, View


class RegisterView(View):
    name = "register"
    TABLES = ["reg_families", "reg_steps", "reg_interests", "reg_referrals", "reg_last_course", "reg_assignments",
              "reg_courses", "reg_attendance"]
    DDL = [
        "CREATE TABLE IF NOT EXISTS {s}reg_families (family_id TEXT PRIMARY KEY, names TEXT, status TEXT NOT NULL, "
        "kinds TEXT NOT NULL, home_municipality TEXT NOT NULL, applied_on TEXT NOT NULL, "
        "last_action_at TEXT NOT NULL, checklist_done INTEGER NOT NULL, checklist_required INTEGER NOT NULL, "
        "active_placements INTEGER NOT NULL, arrival BIGINT NOT NULL, home_type TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS reg_families_status_idx ON {s}reg_families (status, applied_on)",
        "CREATE TABLE IF NOT EXISTS {s}reg_steps (family_id TEXT NOT NULL, step TEXT NOT NULL, "
        "PRIMARY KEY (family_id, step))",
        "CREATE TABLE IF NOT EXISTS {s}reg_interests (interest_id TEXT PRIMARY KEY, family_id TEXT NOT NULL, "
        "municipality TEXT NOT NULL, referral_id TEXT, status TEXT NOT NULL, arrival BIGINT NOT NULL, "
        "expressed_at TEXT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS reg_interests_family_idx ON {s}reg_interests (family_id, arrival)",
        "CREATE TABLE IF NOT EXISTS {s}reg_referrals (referral_id TEXT PRIMARY KEY, municipality TEXT NOT NULL, "
        "decision_date TEXT NOT NULL)",
        # The work list (issue 12 §5): each family's latest course, and what each consultant is assigned
        # (kind 'municipality': a kontaktkommun; kind 'family': a followed family).
        "CREATE TABLE IF NOT EXISTS {s}reg_last_course (family_id TEXT PRIMARY KEY, last_course_on TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {s}reg_assignments (user_id TEXT NOT NULL, kind TEXT NOT NULL, "
        "value TEXT NOT NULL, PRIMARY KEY (user_id, kind, value))",
        "CREATE INDEX IF NOT EXISTS reg_families_action_idx ON {s}reg_families (status, last_action_at)",
        # The course register (pool/domain/course.py) and its attendance lists; families by id only.
        "CREATE TABLE IF NOT EXISTS {s}reg_courses (course_id TEXT PRIMARY KEY, course TEXT NOT NULL, "
        "held_on TEXT NOT NULL, place TEXT NOT NULL, attendees INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS reg_courses_held_idx ON {s}reg_courses (held_on)",
        "CREATE TABLE IF NOT EXISTS {s}reg_attendance (course_id TEXT NOT NULL, family_id TEXT NOT NULL, "
        "attended_on TEXT NOT NULL, arrival BIGINT NOT NULL, PRIMARY KEY (course_id, family_id))",
        "CREATE INDEX IF NOT EXISTS reg_attendance_family_idx ON {s}reg_attendance (family_id)",
    ]
    # Kept as row versions for ``as_of`` (projections/core/history.py): what the register list reads.
    HISTORY = {"reg_families": "family_id", "reg_interests": "interest_id", "reg_referrals": "referral_id"}
    STATEMENTS = {
        "family": "INSERT INTO {s}reg_families VALUES (?,?,?,?,?,?,?,0,?,0,?,'recruited') "
                  "ON CONFLICT (family_id) DO NOTHING",
        "home_type": "UPDATE {s}reg_families SET home_type = ?, last_action_at = ? WHERE family_id = ?",
        "course": "INSERT INTO {s}reg_courses VALUES (?, ?, ?, ?, 0) ON CONFLICT (course_id) DO NOTHING",
        "attendance": "INSERT INTO {s}reg_attendance VALUES (?, ?, ?, ?) ON CONFLICT (course_id, family_id) DO NOTHING",
        "count_attendees": "UPDATE {s}reg_courses SET attendees = (SELECT COUNT(*) FROM {s}reg_attendance a "
                           "WHERE a.course_id = {s}reg_courses.course_id) WHERE course_id = ?",
        "status": "UPDATE {s}reg_families SET status = ?, last_action_at = ? WHERE family_id = ?",
        "touch": "UPDATE {s}reg_families SET last_action_at = ? WHERE family_id = ?",
        "names": "UPDATE {s}reg_families SET names = ?, last_action_at = ? WHERE family_id = ?",
        "offer": "UPDATE {s}reg_families SET kinds = ?, checklist_required = ?, last_action_at = ? WHERE family_id = ?",
        "move": "UPDATE {s}reg_families SET home_municipality = ?, last_action_at = ? WHERE family_id = ?",
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
        # A later course wins, whatever order the courses were recorded in.
        "last_course": "INSERT INTO {s}reg_last_course VALUES (?, ?) ON CONFLICT (family_id) DO UPDATE SET "
                       "last_course_on = CASE WHEN excluded.last_course_on > {s}reg_last_course.last_course_on "
                       "THEN excluded.last_course_on ELSE {s}reg_last_course.last_course_on END",
        "unassign": "DELETE FROM {s}reg_assignments WHERE user_id = ? AND kind = ?",
        "assign": "INSERT INTO {s}reg_assignments VALUES (?, ?, ?) ON CONFLICT (user_id, kind, value) DO NOTHING",
    }


class SQLiteRegisterView(SQLiteView, RegisterView):
    pass


class PostgresRegisterView(PostgresView, RegisterView):
    pass
