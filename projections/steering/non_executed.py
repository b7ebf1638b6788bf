"""The quarterly report of favourable decisions not executed within three months (SoL and LSS)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pool.codes import referral_code
from projections.core.view import View
from projections.steering.dates import months_before, quarter_end

# IVO's duty to report (SoL 16 kap. 6 f §, LSS 28 f §) covers favourable decisions under SoL and LSS;
# LVU placements are decided by a court on the municipality's application and are not reported.
REPORTABLE = ("SoL", "LSS")

_COLUMNS = ("SELECT r.referral_id, r.municipality, m.name, r.kind, r.legal_basis, r.decision_date, "
            "r.first_placement_on, n.reason FROM {s}st_referrals r "
            "LEFT JOIN {s}st_members m ON m.kommunkod = r.municipality "
            "LEFT JOIN {s}st_non_execution n ON n.referral_id = r.referral_id ")


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def _row(r: dict[str, Any], until: date | None) -> dict[str, Any]:
    """`until`: the quarter's end for a decision still waiting then; None: it waited until its execution."""
    decided = date.fromisoformat(r["decision_date"])
    executed = r["first_placement_on"]
    return {"referral_id": r["referral_id"], "code": referral_code(r["referral_id"]), "municipality": r["municipality"],
            "name": r["name"] or r["municipality"], "kind": r["kind"], "legal_basis": r["legal_basis"],
            "decision_date": decided, "days_waited": ((until or date.fromisoformat(executed)) - decided).days,
            "reason": r["reason"], "executed_on": None if until else date.fromisoformat(executed)}


def non_executed_report(view: View, year: int, quarter: int, municipality: str | None) -> dict[str, Any]:
    """Unexecuted decisions at the quarter's end, LVU apart, and those reported earlier and executed in it."""
    end, start = quarter_end(year, quarter), quarter_start(year, quarter)
    previous_end = start - timedelta(days=1)
    scope, scope_params = ("AND r.municipality = ? ", [municipality]) if municipality is not None else ("", [])
    pending = view.query(
        _COLUMNS + "WHERE r.decision_date < ? AND (r.first_placement_on IS NULL OR r.first_placement_on > ?) "
        "AND (r.ended_on IS NULL OR r.ended_on > ?) " + scope +
        "ORDER BY r.municipality, r.decision_date, r.referral_id",
        [months_before(end, 3).isoformat(), end.isoformat(), end.isoformat(), *scope_params])
    # Reported at the previous quarter's end (three months old, not executed, not ended), executed in this one.
    executed = view.query(
        _COLUMNS + "WHERE r.decision_date < ? AND r.first_placement_on >= ? AND r.first_placement_on <= ? "
        "AND (r.ended_on IS NULL OR r.ended_on > ?) " + scope +
        "ORDER BY r.municipality, r.first_placement_on, r.referral_id",
        [months_before(previous_end, 3).isoformat(), start.isoformat(), end.isoformat(), previous_end.isoformat(),
         *scope_params])
    rows = [_row(r, end) for r in pending]
    return {"year": year, "quarter": quarter, "quarter_end": end, "decided_before": months_before(end, 3),
            "items": [r for r in rows if r["legal_basis"] in REPORTABLE],
            "not_reportable": [r for r in rows if r["legal_basis"] not in REPORTABLE],
            "executed": [_row(r, None) for r in executed if r["legal_basis"] in REPORTABLE]}
