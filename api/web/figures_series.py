"""Two sections of the statistics page: homes by type (nätverkshem, rekryterade) and the pool share per year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from api.formatting import sv_number, sv_percent
from api.web.charts import grouped_bars, series
from api.web.figures import Section, Table

HOME_TYPE = {"network": "Nätverkshem", "recruited": "Rekryterade familjehem"}


def home_type_section(stats: dict[str, Any]) -> Section:
    items = stats.get("home_types") or []
    labels = [HOME_TYPE.get(r["home_type"], r["home_type"]) for r in items]
    rows = [[lbl, sv_number(r["approved_in_period"]), sv_number(r["approved"]), sv_number(r["published"]),
             sv_number(r["placements_started"]), sv_number(r["placements_active"])] for lbl, r in zip(labels, items)]
    chart = grouped_bars("chart-home-types", "Nätverkshem och rekryterade familjehem",
                         "Liggande staplar per typ av hem: godkända familjer vid periodens slut och placeringar "
                         "som startade under perioden. Samma siffror finns i tabellen.",
                         labels, series("Godkända familjer", "Placeringar som startade"),
                         [[r["approved"], r["placements_started"]] for r in items])
    table = Table("Familjer och placeringar per typ av hem",
                  ["Typ av hem", "Godkända under perioden", "Godkända vid periodens slut", "Publicerade",
                   "Placeringar som startade", "Pågående placeringar"], rows, [False, True, True, True, True, True])
    return Section("hemtyp", "Nätverkshem och rekryterade hem",
                   "Nätverkshem (släktingar eller andra som barnet känner) räknas för sig. De tas emot för ett "
                   "visst barn och publiceras aldrig i katalogen.", chart, table)


def pool_share_section(stats: dict[str, Any]) -> Section:
    items = stats.get("pool_share_by_year") or []
    rows = [[f"{r['municipality']} {r['name']}", str(r["year"]), sv_number(r["placed_children"]),
             sv_number(r["pool_placements"]),
             sv_percent(Decimal(r["pool_share"]) if r.get("pool_share") is not None else None, 1)] for r in items]
    last = max((r["year"] for r in items), default=None)
    latest = [r for r in items if r["year"] == last and r.get("pool_share") is not None]
    chart = grouped_bars("chart-pool-share", f"Andel placerade barn genom poolen {last or ''}".strip(),
                         "Liggande staplar per kommun: andelen av kommunens placerade barn som placerats genom "
                         "poolen, det senaste året med uppgifter. Alla år finns i tabellen.",
                         [r["name"] for r in latest], series("Andel genom poolen"),
                         [[Decimal(r["pool_share"])] for r in latest], fmt=sv_percent)
    table = Table("Placerade barn och andel genom poolen per kommun och år (den 1 november)",
                  ["Kommun", "År", "Placerade barn (kommunens uppgift)", "Genom poolen", "Andel genom poolen"],
                  rows, [False, True, True, True, True])
    return Section("andel-genom-poolen", "Andel genom poolen per år",
                   "Hur stor del av kommunens alla placerade barn som kom genom poolen, år för år: kommunens "
                   "uppgift om placerade barn den 1 november mot poolens pågående familjehems- och "
                   "jourhemsplaceringar samma dag (som i kostnadsfördelningen).", chart, table)


SERIES_SECTIONS = {"hemtyp": home_type_section, "andel-genom-poolen": pool_share_section}
SERIES_KEYS = {"hemtyp": ("as_of", "home_types"), "andel-genom-poolen": ("pool_share_by_year",)}


def with_series(sections: list[Section], stats: dict[str, Any]) -> list[Section]:
    """The page's sections with these two before "Kostnad mot nytta" (andelar)."""
    at = next((i for i, s in enumerate(sections) if s.id == "andelar"), len(sections))
    return [*sections[:at], *(build(stats) for build in SERIES_SECTIONS.values()), *sections[at:]]
