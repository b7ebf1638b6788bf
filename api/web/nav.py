"""The navigation per role and each role's start page (part B adds the steering and admin entries)."""

from __future__ import annotations

from pool.actors import Role

# (label, path) in menu order; the first entry is the role's start page after login.
NAV: dict[Role, list[tuple[str, str]]] = {
    Role.MUNICIPALITY: [
        ("Familjekatalog", "/katalog"),
        ("Mina förfrågningar", "/forfragningar"),
        ("Mina intressen", "/intressen"),
        ("Mina placeringar", "/placeringar"),
        ("Bevakningar", "/bevakningar"),
    ],
    Role.POOL_STAFF: [
        ("Arbetslista", "/arbetslista"),
        ("Register", "/pool"),
        ("Ny ansökan", "/pool/familjer/ny"),
        ("Intressen", "/pool/intressen"),
        ("Förfrågningar", "/pool/forfragningar"),
        ("Placeringar", "/pool/placeringar"),
        ("Kurser", "/pool/kurser"),
        ("Familjekatalog", "/katalog"),
        ("Statistik", "/styrgrupp/statistik"),
        ("Behov och tillgång", "/styrgrupp/behov"),
    ],
    Role.STEERING: [
        ("Kostnadsfördelning", "/styrgrupp/kostnadsfordelning"),
        ("Statistik", "/styrgrupp/statistik"),
        ("Behov och tillgång", "/styrgrupp/behov"),
        ("Ej verkställda beslut", "/styrgrupp/ej-verkstallda"),
        ("Budget", "/styrgrupp/budget"),
        ("Placerade barn", "/styrgrupp/placerade-barn"),
    ],
    Role.ADMIN: [
        ("Medlemskommuner", "/admin/medlemmar"),
        ("Befolkning", "/admin/befolkning"),
        ("Placerade barn", "/styrgrupp/placerade-barn"),
        ("Användare", "/admin/anvandare"),
        ("Budget", "/styrgrupp/budget"),
        ("Kostnadsfördelning", "/styrgrupp/kostnadsfordelning"),
        ("Statistik", "/styrgrupp/statistik"),
        ("Ej verkställda beslut", "/styrgrupp/ej-verkstallda"),
        ("E-postnotiser", "/admin/notiser"),
    ],
}

ROLE_NAMES = {
    Role.MUNICIPALITY: "Kommunanvändare",
    Role.POOL_STAFF: "Poolpersonal",
    Role.STEERING: "Styrgrupp",
    Role.ADMIN: "Administratör",
    Role.SYSTEM: "System",
}


def home_of(role: Role) -> str:
    """Where a signed-in user lands; "/start" when the role has no pages yet."""
    entries = NAV.get(role) or []
    return entries[0][1] if entries else "/start"
