"""What a notice says, in Swedish, and where it links: codes and links only, never anything personal."""

from __future__ import annotations

from typing import Any

from pool.codes import referral_code
from projections.core.encoding import code_of


def notice_text(row: dict[str, Any]) -> str:
    """One line: a family's catalogue code (FP-nnnn) and the referral's code when there is one."""
    family = code_of(row.get("seq")) or "en familj"
    referral = referral_code(row.get("referral_id"))
    for_referral = f" (förfrågan {referral})" if referral else ""
    kind = row["kind"]
    if kind == "family_published":
        return f"Ny familj i katalogen matchar din bevakning{for_referral}: {family}."
    if kind == "family_freed":
        return f"{family} har fått en ledig plats och matchar din bevakning{for_referral}."
    if kind == "proposal_answered":
        return f"En kommun har svarat på förslaget {family}{for_referral} med en intresseanmälan."
    if kind == "interest":
        return f"Ny intresseanmälan för {family}{for_referral}."
    return "Ny notis i Familjepoolen."


def notice_link(row: dict[str, Any], role: str | None) -> str:
    """The page the notice is about: the family's card, or the staff's interest queue."""
    if row["kind"] in ("interest", "proposal_answered"):
        return f"/pool/forfragningar/{row['referral_id']}" if row.get("referral_id") else "/pool/intressen"
    return f"/katalog/{row['family_id']}" if row.get("family_id") else "/notiser"


def email_text(rows: list[dict[str, Any]], role: str | None, base_url: str, digest: bool) -> tuple[str, str]:
    """Subject and body of one e-mail (one notice, or a day's digest of them)."""
    base = base_url.rstrip("/")
    lines = [f"- {notice_text(r)}\n  {base}{notice_link(r, role)}" for r in rows]
    if digest:
        subject = f"Familjepoolen: {len(rows)} nya notiser"
        intro = "Dagens sammandrag av dina notiser i Familjepoolen:"
    else:
        subject = "Familjepoolen: " + notice_text(rows[0]).rstrip(".") if rows else "Familjepoolen"
        intro = "Du har en ny notis i Familjepoolen:"
    footer = (f"Alla notiser: {base}/notiser\n"
              "Du får detta mejl för att du valt e-post för notiser. Ändra valet under Notiser.\n"
              "Mejlet innehåller inga personuppgifter; logga in för att se mer.")
    return subject[:200], "\n".join([intro, "", *lines, "", footer]) + "\n"
