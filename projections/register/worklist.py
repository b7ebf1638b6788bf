"""A pool consultant's work list (issue 12 §5): what needs doing for their members and families, oldest first.

Read from the register and municipality tables (one database, one schema), never from events. Items
carry codes, dates and links only: the catalogue code (FP-nnnn) or the referral's code, no names.
"Mine" is the consultant's kontaktkommuner (a case of the member, or a family living there) and the
families they follow; a consultant with neither assigned sees everyone's items, like the e-mail digest.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from pool.codes import referral_code
from projections.core.encoding import code_of, iso
from projections.core.queries import ViewQueries
from projections.notifications.worklist import THREE_MONTHS_DAYS, UNTOUCHED_DAYS, WAITING, WARN_DAYS

LINK_DAYS = 14  # a brokered link without an outcome after this many days
ENDING_DAYS = 30  # placements whose planned end falls within this many days
COURSE_DAYS = 365  # families with no course in the last year
PER_KIND = 200  # the oldest of each kind; the page says how many there are in all
KINDS = ("applicant_untouched", "referral_three_months", "interest_new", "proposal_unanswered",
         "link_no_outcome", "placement_due", "family_no_course")
ACTIVE_FAMILY = ("approved", "published", "unpublished")

# kind -> (SELECT ... with columns on, municipality, family_id, referral_id, placement_id, interest_id, seq;
#          the condition; the column naming the municipality; the column naming the family)
_SQL: dict[str, tuple[str, str, str, str]] = {
    "applicant_untouched": (
        "SELECT f.last_action_at AS on_day, f.home_municipality AS municipality, f.family_id, NULL AS referral_id, "
        "NULL AS placement_id, NULL AS interest_id, k.seq FROM {s}reg_families f "
        "LEFT JOIN {s}mv_codes k ON k.family_id = f.family_id",
        f"f.status IN ({','.join(repr(w) for w in WAITING)}) AND f.last_action_at < ?",
        "f.home_municipality", "f.family_id"),
    "referral_three_months": (
        "SELECT r.decision_date AS on_day, r.municipality, NULL AS family_id, r.referral_id, NULL AS placement_id, "
        "NULL AS interest_id, NULL AS seq FROM {s}mv_referrals r",
        "r.status IN ('open', 'matched') AND r.decision_date <= ?", "r.municipality", "NULL"),
    "interest_new": (
        "SELECT i.expressed_at AS on_day, i.municipality, i.family_id, i.referral_id, NULL AS placement_id, "
        "i.interest_id, k.seq FROM {s}mv_interests i LEFT JOIN {s}mv_codes k ON k.family_id = i.family_id",
        "i.status = 'pending'", "i.municipality", "i.family_id"),
    "proposal_unanswered": (
        "SELECT p.proposed_at AS on_day, r.municipality, p.family_id, p.referral_id, NULL AS placement_id, "
        "NULL AS interest_id, k.seq FROM {s}mv_proposals p JOIN {s}mv_referrals r ON r.referral_id = p.referral_id "
        "LEFT JOIN {s}mv_codes k ON k.family_id = p.family_id",
        "r.status = 'open' AND NOT EXISTS (SELECT 1 FROM {s}mv_interests i "
        "WHERE i.family_id = p.family_id AND i.municipality = r.municipality)", "r.municipality", "p.family_id"),
    "link_no_outcome": (
        "SELECT i.updated_at AS on_day, i.municipality, i.family_id, i.referral_id, NULL AS placement_id, "
        "i.interest_id, k.seq FROM {s}mv_interests i LEFT JOIN {s}mv_codes k ON k.family_id = i.family_id",
        "i.status = 'brokered' AND i.updated_at < ?", "i.municipality", "i.family_id"),
    "placement_due": (
        "SELECT p.planned_end_date AS on_day, p.municipality, p.family_id, p.referral_id, p.placement_id, "
        "NULL AS interest_id, k.seq FROM {s}mv_placements p LEFT JOIN {s}mv_codes k ON k.family_id = p.family_id",
        "p.end_date IS NULL AND p.planned_end_date < ?", "p.municipality", "p.family_id"),
    "family_no_course": (
        "SELECT COALESCE(c.last_course_on, f.applied_on) AS on_day, f.home_municipality AS municipality, f.family_id, "
        "NULL AS referral_id, NULL AS placement_id, NULL AS interest_id, k.seq FROM {s}reg_families f "
        "LEFT JOIN {s}reg_last_course c ON c.family_id = f.family_id LEFT JOIN {s}mv_codes k ON k.family_id = f.family_id",
        f"f.status IN ({','.join(repr(a) for a in ACTIVE_FAMILY)}) "
        "AND (c.last_course_on IS NULL OR c.last_course_on < ?)", "f.home_municipality", "f.family_id"),
}


def _bounds(today: date) -> dict[str, str | None]:
    """Each kind's limit on its date column (its condition's one "?"); None: every pending one counts."""
    midnight = datetime.combine(today, datetime.min.time(), timezone.utc)
    return {
        "applicant_untouched": iso(midnight - timedelta(days=UNTOUCHED_DAYS)),
        "referral_three_months": (today - timedelta(days=THREE_MONTHS_DAYS - WARN_DAYS)).isoformat(),
        "interest_new": None,
        "proposal_unanswered": None,
        "link_no_outcome": iso(midnight - timedelta(days=LINK_DAYS)),
        "placement_due": (today + timedelta(days=ENDING_DAYS)).isoformat(),
        "family_no_course": (today - timedelta(days=COURSE_DAYS)).isoformat(),
    }


def _link(kind: str, row: dict[str, Any]) -> str:
    if kind in ("referral_three_months", "proposal_unanswered"):
        return f"/pool/forfragningar/{row['referral_id']}"
    if kind == "placement_due":
        return f"/pool/placeringar/{row['placement_id']}"
    if kind in ("interest_new", "link_no_outcome"):
        return f"/pool/familjer/{row['family_id']}#ko"  # the family's queue: broker, decline, end the link
    return f"/pool/familjer/{row['family_id']}"


def _item(kind: str, row: dict[str, Any], today: date) -> dict[str, Any]:
    on = str(row["on_day"])[:10]
    days = (today - date.fromisoformat(on)).days
    late = {"referral_three_months": days >= THREE_MONTHS_DAYS, "placement_due": days > 0}.get(kind, False)
    return {"kind": kind, "on": on, "days": days, "late": late, "municipality": row["municipality"],
            "family_id": row["family_id"], "family_code": code_of(row["seq"]), "referral_id": row["referral_id"],
            "referral_code": referral_code(row["referral_id"]), "placement_id": row["placement_id"],
            "interest_id": row["interest_id"], "link": _link(kind, row)}


class WorklistQueries(ViewQueries):
    """Mixed into ReadModelsImpl."""

    def assignments(self, user_id: str) -> dict[str, list[str]]:
        rows = self.views["register"].query(
            "SELECT kind, value FROM {s}reg_assignments WHERE user_id = ? ORDER BY kind, value", [user_id])
        return {"municipalities": [r["value"] for r in rows if r["kind"] == "municipality"],
                "family_ids": [r["value"] for r in rows if r["kind"] == "family"]}

    def worklist(self, user_id: str, scope: str = "mine", today: date | None = None) -> dict[str, Any]:
        """Items of every kind, oldest first; ``scope`` "mine" (the consultant's) or "all"."""
        today = today or date.today()
        assigned = self.assignments(user_id)
        mine = scope == "mine" and bool(assigned["municipalities"] or assigned["family_ids"])
        view, bounds = self.views["register"], _bounds(today)
        items: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        for kind in KINDS:
            select, where, municipality, family = _SQL[kind]
            params: list[Any] = [] if bounds[kind] is None else [bounds[kind]]
            if mine:
                where += (f" AND ({municipality} IN (SELECT a.value FROM {{s}}reg_assignments a WHERE a.user_id = ? "
                          f"AND a.kind = 'municipality') OR {family} IN (SELECT a.value FROM {{s}}reg_assignments a "
                          "WHERE a.user_id = ? AND a.kind = 'family'))")
                params += [user_id, user_id]
            base = select.split(" FROM ", 1)[1]
            counts[kind] = view.count(f"SELECT COUNT(*) AS n FROM {base} WHERE {where}", params)
            rows = view.query(f"{select} WHERE {where} ORDER BY on_day LIMIT {PER_KIND}", params)
            items += [_item(kind, r, today) for r in rows]
        items.sort(key=lambda i: (i["on"], KINDS.index(i["kind"])))
        return {"scope": "mine" if mine else "all", "requested_scope": scope, "today": today.isoformat(),
                "assigned": assigned, "counts": counts, "items": items}
