"""Pool staff's daily work list by e-mail: counts and codes from the register and municipality views.

Applicants untouched for 30 days, referrals whose three months since the decision run out within
two weeks, placements past their planned end. Composed when sent (the day's state), filtered by
the consultant's kontaktkommuner where the case has a member; names never: codes, counts, links.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from projections.core.encoding import unbars
from projections.core.view import View
from pool.codes import referral_code

UNTOUCHED_DAYS = 30
THREE_MONTHS_DAYS = 91  # the IVO reporting limit, counted in days here
WARN_DAYS = 14
WAITING = ("applied", "under_investigation")


def worklist(view: View, user_id: str, today: date) -> dict[str, Any]:
    users = view.query("SELECT contacts FROM {s}nt_users WHERE user_id = ?", [user_id])
    contacts = unbars(users[0]["contacts"]) if users else []
    scope, params = ("", []) if not contacts else (
        f" AND municipality IN ({','.join('?' * len(contacts))})", list(contacts))
    untouched = view.count(
        "SELECT COUNT(*) AS n FROM {s}reg_families WHERE status IN ('applied', 'under_investigation') "
        "AND last_action_at < ?", [(today - timedelta(days=UNTOUCHED_DAYS)).isoformat()])  # a day
    first, last = (today - timedelta(days=THREE_MONTHS_DAYS)).isoformat(), \
        (today - timedelta(days=THREE_MONTHS_DAYS - WARN_DAYS)).isoformat()
    referrals = view.query(
        "SELECT referral_id, decision_date FROM {s}mv_referrals WHERE status IN ('open', 'matched') "
        f"AND decision_date > ? AND decision_date <= ?{scope} ORDER BY decision_date, referral_id",
        [first, last, *params])
    overdue = view.query(
        "SELECT placement_id, planned_end_date FROM {s}mv_placements WHERE end_date IS NULL "
        f"AND planned_end_date < ?{scope} ORDER BY planned_end_date, placement_id", [today.isoformat(), *params])
    return {"untouched": untouched, "referrals": referrals, "overdue": overdue}


def worklist_text(items: dict[str, Any], base_url: str) -> tuple[str, str] | None:
    """Subject and body, or None when there is nothing to report (no e-mail that day)."""
    if not (items["untouched"] or items["referrals"] or items["overdue"]):
        return None
    base = base_url.rstrip("/")
    lines = ["Din arbetslista i Familjepoolen i dag:", ""]
    if items["untouched"]:
        lines.append(f"- {items['untouched']} ansökningar har inte rörts på {UNTOUCHED_DAYS} dagar: {base}/pool")
    for r in items["referrals"]:
        lines.append(f"- Förfrågan {referral_code(r['referral_id'])} (beslut {r['decision_date']}) närmar sig tre "
                     f"månader utan verkställighet: {base}/pool/forfragningar/{r['referral_id']}")
    for p in items["overdue"]:
        lines.append(f"- En placering skulle ha avslutats {p['planned_end_date']}: "
                     f"{base}/pool/placeringar/{p['placement_id']}")
    lines += ["", "Mejlet innehåller inga personuppgifter; logga in för att se mer."]
    count = items["untouched"] + len(items["referrals"]) + len(items["overdue"])
    return f"Familjepoolen: arbetslistan ({count})", "\n".join(lines) + "\n"
