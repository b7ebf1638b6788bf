"""Tables and charts of the steering pages, built from the read models' results (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from api import i18n
from api.allocation_notes import allocation_note_sv
from api.formatting import sv_date, sv_number, sv_percent, sv_sek
from api.web.charts import grouped_bars, series, stacked_bars
from api.web.messages import NON_EXECUTION_REASONS
from pool.allocation import Allocation, MemberAllocation
from pool.errors import Note

WAITING_STATUS = {"applied": "Ansökt, ej påbörjad utredning", "under_investigation": "Under utredning",
                  "approved": "Godkänd, ej publicerad"}
FUNNEL_STEP = {"applied": "Intresseanmälan", "approved": "Godkänd", "published": "Publicerad",
               "first_placement": "Första placering"}
KINDS = ("familjehem", "jourhem", "kontaktfamilj", "kontaktperson", "korttidsfamilj")
LEGAL_BASIS = {"SoL": "SoL", "LSS": "LSS", "LVU": "LVU"}


@dataclass(frozen=True)
class Table:
    """An accessible table: a caption, column headings, rows of display text, a total row."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool]  # right-aligned columns
    footer: Sequence[str] | None = None


@dataclass(frozen=True)
class Section:
    """One part of a steering page: a heading, an explanation, a chart and the same figures as a table."""

    id: str
    heading: str
    intro: str
    chart: str
    table: Table
    notes: Sequence[str] = field(default_factory=tuple)


def _pool(m: MemberAllocation) -> str:
    """The pool's own placements of the member on the reference date, and their share of its placed children."""
    if m.pool_share is None:
        return sv_number(m.pool_placements)
    return f"{sv_number(m.pool_placements)} ({sv_percent(m.pool_share, 1)})"


def allocation_section(a: Allocation) -> Section:
    rows = [[f"{m.municipality} {m.name}", sv_number(m.children), sv_number(m.placed_children), _pool(m),
             sv_percent(m.children_share, 2), sv_percent(m.placements_share, 2), sv_percent(m.share, 2),
             sv_sek(m.amount_sek), sv_sek(m.children_part_sek), sv_sek(m.placements_part_sek)]
            for m in a.members]
    pool_total = sum(m.pool_placements for m in a.members)
    placed_total = sum(m.placed_children for m in a.members)
    pool_share = f" ({sv_percent(Decimal(pool_total) / placed_total, 1)})" if placed_total else ""
    footer = ["Summa", sv_number(sum(m.children for m in a.members)), sv_number(placed_total),
              f"{sv_number(pool_total)}{pool_share}", sv_percent(1, 2), sv_percent(1, 2),
              sv_percent(sum(m.share for m in a.members), 2), sv_sek(a.total_sek),
              sv_sek(sum((m.children_part_sek for m in a.members), Decimal("0.00"))),
              sv_sek(sum((m.placements_part_sek for m in a.members), Decimal("0.00")))]
    table = Table(
        caption=f"Kostnadsfördelning {a.year}: budget {sv_sek(a.budget_sek)}, referensdag {a.reference_date}",
        columns=["Kommun", "Barn 0–17", "Placerade barn (kommunens uppgift)", "Varav genom poolen (kontroll)",
                 "Andel barn", "Andel placeringar", "Andel att betala", "Belopp", "Varav barndel",
                 "Varav placeringsdel"],
        rows=rows, numeric=[False, True, True, True, True, True, True, True, True, True], footer=footer)
    chart = stacked_bars(
        "chart-allocation", f"Belopp per kommun {a.year}",
        "Liggande staplar, en per medlemskommun: beloppet delat i barndel (hälften av budgeten "
        "fördelad efter antal barn 0–17) och placeringsdel (hälften fördelad efter placerade barn). "
        "Samma siffror finns i tabellen.",
        [m.name for m in a.members], series("Barndel", "Placeringsdel"),
        [[m.children_part_sek, m.placements_part_sek] for m in a.members], fmt=sv_sek)
    return Section("fordelning", "Fördelning per kommun",
                   "Hälften av budgeten fördelas efter antalet barn 0–17 som bor hemma och hälften efter "
                   f"antalet placerade barn 0–17, båda den {a.reference_date}. Placerade barn är kommunens egen "
                   "uppgift om alla dess placerade barn, inte bara poolens. Poolens egna placeringar samma dag "
                   "visas bredvid som kontroll och andel av kommunens placerade barn; de påverkar inte beloppen. "
                   "Barndelarna summerar exakt till barnhälften av budgeten och placeringsdelarna till den andra "
                   "hälften.", chart, table,
                   tuple(allocation_note_sv(n) for n in a.notes))


def changes_table(rows: Sequence[dict[str, Any]], year: int) -> Table:
    """The allocation from today's inputs against the adopted one, per member."""
    def amount(v: Decimal | None) -> str:
        return sv_sek(v) if v is not None else "–"

    def count(a: int | None, b: int | None) -> str:
        return sv_number(b) if a == b else f"{'–' if a is None else sv_number(a)} → {'–' if b is None else sv_number(b)}"

    body = [[f"{r['municipality']} {r['name']}", count(r["adopted_children"], r["current_children"]),
             count(r["adopted_placed_children"], r["current_placed_children"]),
             count(r["adopted_pool_placements"], r["current_pool_placements"]),
             amount(r["adopted_amount_sek"]), amount(r["current_amount_sek"]),
             ("+" if r["difference_sek"] > 0 else "") + sv_sek(r["difference_sek"])] for r in rows]
    total = sum((r["difference_sek"] for r in rows), Decimal("0.00"))
    return Table(caption=f"Ändringar sedan fastställandet, {year}: fastställt belopp och belopp med dagens uppgifter",
                 columns=["Kommun", "Barn 0–17", "Placerade barn", "Poolens placeringar", "Fastställt belopp",
                          "Med dagens uppgifter", "Skillnad"],
                 rows=body, numeric=[False, True, True, True, True, True, True],
                 footer=["Summa", "", "", "", amount(sum((r["adopted_amount_sek"] or Decimal(0) for r in rows),
                                                         Decimal("0.00"))),
                         amount(sum((r["current_amount_sek"] or Decimal(0) for r in rows), Decimal("0.00"))),
                         sv_sek(total)])


def _band(band: str) -> str:
    return f"{band} år"


def supply_demand_section(stats: dict[str, Any]) -> Section:
    items = stats.get("supply_demand") or []
    labels = [f"{r['kind']} {_band(r['age_band'])}" for r in items]
    rows = [[r["kind"], _band(r["age_band"]), sv_number(r["supply"]), sv_number(r["demand"]),
             ", ".join(f"{k}: {v}" for k, v in sorted((r.get("demand_by_member") or {}).items())) or "–"]
            for r in items]
    # Fifteen rows of mostly zeros hide the few that matter: the chart shows the rows with something.
    shown = [(label, r) for label, r in zip(labels, items) if r["supply"] or r["demand"]]
    chart = grouped_bars("chart-supply-demand", "Tillgång mot efterfrågan",
                         "Liggande staplar per insatstyp och åldersgrupp: tillgängliga familjer mot aktiva "
                         "förfrågningar. Rader där båda är noll finns bara i tabellen, som har alla siffror.",
                         [label for label, _ in shown], series("Tillgång", "Efterfrågan"),
                         [[r["supply"], r["demand"]] for _, r in shown])
    table = Table("Tillgång och efterfrågan per insatstyp och åldersgrupp",
                  ["Insatstyp", "Ålder", "Tillgång (familjer)", "Efterfrågan (förfrågningar)",
                   "Efterfrågan per kommun"], rows, [False, False, True, True, False])
    return Section("tillgang", "Tillgång mot efterfrågan",
                   "Publicerade familjer med ledig plats vars åldersintervall passar, mot aktiva förfrågningar, "
                   "vid periodens slut. En familj kan räknas på flera rader.", chart, table)


def waiting_section(stats: dict[str, Any]) -> Section:
    items = stats.get("waiting") or []
    labels = [WAITING_STATUS.get(r["status"], r["status"]) for r in items]
    rows = [[lbl, sv_number(r["count"]), sv_number(r["median_days"]), sv_number(r["p90_days"]),
             sv_number(r["oldest_days"])] for lbl, r in zip(labels, items)]
    chart = grouped_bars("chart-waiting", "Väntetider i dagar",
                         "Liggande staplar per steg: median, 90:e percentil och längsta väntetid i dagar "
                         "sedan intresseanmälan. Samma siffror finns i tabellen.",
                         labels, series("Median", "90:e percentil", "Längst"),
                         [[r["median_days"], r["p90_days"], r["oldest_days"]] for r in items])
    table = Table("Sökande som väntar och hur länge (dagar sedan intresseanmälan)",
                  ["Steg", "Antal", "Median (dagar)", "90:e percentil (dagar)", "Längst (dagar)"],
                  rows, [False, True, True, True, True])
    return Section("vantetider", "Väntetider",
                   "Sökande som ännu inte fått beslut och godkända familjer som ännu inte publicerats, just nu.",
                   chart, table)


def funnel_section(stats: dict[str, Any]) -> Section:
    items = stats.get("funnel") or []
    labels = [FUNNEL_STEP.get(r["step"], r["step"]) for r in items]
    rows = [[lbl, sv_number(r["count"]),
             "–" if r.get("conversion") is None else sv_percent(Decimal(str(r["conversion"])), 0),
             sv_number(r.get("median_days"))] for lbl, r in zip(labels, items)]
    chart = grouped_bars("chart-funnel", "Från intresseanmälan till placering",
                         "Liggande staplar: antal familjer som nått varje steg, av dem som anmälde intresse "
                         "under perioden. Samma siffror finns i tabellen.",
                         labels, series("Antal familjer"), [[r["count"]] for r in items])
    table = Table("Familjer som anmälde intresse under perioden och hur långt de kommit",
                  ["Steg", "Antal", "Andel av föregående steg", "Median dagar från föregående steg"],
                  rows, [False, True, True, True])
    return Section("tratt", "Från ansökan till placering", "Familjer vars intresseanmälan kom in under perioden.",
                   chart, table)


STEPS_FROM_DECISION = {"proposal": "Första förslag", "brokering": "Första förmedling", "placement": "Placering"}


def time_to_placement_section(stats: dict[str, Any]) -> Section:
    steps = stats.get("time_from_decision") or []
    labels = [STEPS_FROM_DECISION.get(t["step"], t["step"]) for t in steps if t.get("count")]
    chart = grouped_bars("chart-time-to-placement", "Tid från beslut till förslag, förmedling och placering",
                         "Liggande staplar per steg: median och 90:e percentil i dagar från förfrågans "
                         "beslutsdatum. Samma siffror finns i tabellen.",
                         labels, series("Median", "90:e percentil"),
                         [[t.get("median_days"), t.get("p90_days")] for t in steps if t.get("count")])
    table = Table("Dagar från förfrågans beslutsdatum till varje steg",
                  ["Steg", "Förfrågningar", "Median (dagar)", "90:e percentil (dagar)"],
                  [[STEPS_FROM_DECISION.get(t["step"], t["step"]), sv_number(t.get("count", 0)),
                    sv_number(t.get("median_days")), sv_number(t.get("p90_days"))] for t in steps],
                  [False, True, True, True])
    return Section("tid-till-placering", "Tid från beslut",
                   "Förfrågningar som under perioden fick sitt första förslag, sin första förmedling eller "
                   "sin placering, räknat från beslutsdatum.", chart, table)


def cost_section(stats: dict[str, Any]) -> Section:
    items = stats.get("cost_per_placement") or []
    rows = [[f"{r['municipality']} {r['name']}", sv_sek(Decimal(r["amount_sek"])) if r.get("amount_sek") else "–",
             sv_number(r["placements_started"]), sv_number(r["contact_assignments_started"]),
             sv_sek(Decimal(r["cost_per_placement_sek"])) if r.get("cost_per_placement_sek") else "–"]
            for r in items]
    chart = grouped_bars("chart-cost", "Kostnad per placering",
                         "Liggande staplar per kommun: årets belopp delat med antalet familjehems- och "
                         "jourhemsplaceringar genom poolen som startade under året, i kronor. Samma siffror "
                         "finns i tabellen.",
                         [r["name"] for r in items if r.get("cost_per_placement_sek")], series("Kronor"),
                         [[Decimal(r["cost_per_placement_sek"])] for r in items if r.get("cost_per_placement_sek")],
                         fmt=sv_sek)
    year = items[0]["year"] if items else ""
    table = Table(f"Kostnad per placering genom poolen {year}",
                  ["Kommun", "Belopp för året", "Placeringar som startade", "Kontaktuppdrag som startade",
                   "Kostnad per placering"], rows, [False, True, True, True, True])
    return Section("kostnad-per-placering", "Kostnad per placering",
                   "Vad kommunen betalar för periodens slutår delat med familjehems- och jourhemsplaceringar "
                   "genom poolen som startade det året. Kontaktfamiljs-, kontaktpersons- och "
                   "korttidsuppdrag räknas för sig och ingår inte i delningen.", chart, table)


def placements_section(stats: dict[str, Any]) -> Section:
    items = stats.get("placements") or []
    total = stats.get("placements_total") or {}
    rows = [[f"{r['municipality']} {r['name']}", sv_number(r["started"]), sv_number(r["ended"]),
             sv_number(r["breakdowns"]), sv_number(r.get("active", 0)), sv_number(r.get("overdue", 0))]
            for r in items]
    chart = grouped_bars("chart-placements", "Placeringar per kommun",
                         "Liggande staplar per kommun: påbörjade, avslutade och sammanbrott under perioden. "
                         "Samma siffror finns i tabellen.",
                         [r["name"] for r in items], series("Påbörjade", "Avslutade", "Sammanbrott"),
                         [[r["started"], r["ended"], r["breakdowns"]] for r in items])
    table = Table("Placeringar genom poolen per kommun under perioden",
                  ["Kommun", "Påbörjade", "Avslutade", "Varav sammanbrott", "Pågår vid periodens slut",
                   "Varav förfallna"],
                  rows, [False, True, True, True, True, True],
                  ["Summa", sv_number(total.get("started", 0)), sv_number(total.get("ended", 0)),
                   sv_number(total.get("breakdowns", 0)), sv_number(total.get("active", 0)),
                   sv_number(total.get("overdue", 0))])
    return Section("placeringar", "Placeringar och sammanbrott",
                   "Placeringar genom poolen under perioden. Pågår: inte avslutade vid periodens slut (i dag om "
                   "perioden pågår); förfallna: planerat slut har passerat men placeringen är inte avslutad (den "
                   "räknas som pågående).",
                   chart, table)


def _share(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def shares_section(stats: dict[str, Any]) -> Section:
    items = stats.get("shares") or []
    rows = [[f"{r['municipality']} {r['name']}", sv_percent(_share(r.get("budget_share"))),
             sv_number(r.get("pool_placements")), sv_percent(_share(r.get("placements_share")))] for r in items]
    chart = grouped_bars("chart-shares", "Andel av budgeten mot andel av placeringarna",
                         "Liggande staplar per kommun: kommunens andel av årets budget och dess andel av "
                         "placeringarna genom poolen under perioden, i procent. Samma siffror finns i tabellen.",
                         [r["name"] for r in items], series("Andel av budgeten", "Andel av placeringarna"),
                         [[_share(r.get("budget_share")), _share(r.get("placements_share"))] for r in items],
                         fmt=sv_percent)
    table = Table("Varje kommuns kostnad mot vad den fått",
                  ["Kommun", "Andel av budgeten", "Placeringar genom poolen", "Andel av placeringarna"],
                  rows, [False, True, True, True])
    note = stats.get("shares_note")
    if isinstance(note, Note):
        note = i18n.message(note, "sv")
    return Section("andelar", "Kostnad mot nytta",
                   "Andel av budgeten för periodens slutår mot andel av placeringarna genom poolen under perioden.",
                   chart, table, (note,) if note else ())


STATISTICS_SECTIONS = {
    "tillgang": supply_demand_section, "vantetider": waiting_section, "tratt": funnel_section,
    "tid-till-placering": time_to_placement_section, "placeringar": placements_section,
    "andelar": shares_section, "kostnad-per-placering": cost_section,
}


def statistics_sections(stats: dict[str, Any]) -> list[Section]:
    return [build(stats) for build in STATISTICS_SECTIONS.values()]


def non_executed_table(rows: list[dict[str, Any]], year: int, quarter: int, caption: str | None = None,
                       executed: bool = False) -> Table:
    """One row per decision; `executed`: the follow-up of decisions reported earlier and executed in the quarter."""
    last = "Verkställt" if executed else "Skäl"
    body = [[f"{r['municipality']} {r['name']}", r["code"], r["kind"],
             LEGAL_BASIS.get(r["legal_basis"], r["legal_basis"]), sv_date(r["decision_date"]),
             sv_number(r["days_waited"]),
             sv_date(r["executed_on"]) if executed else NON_EXECUTION_REASONS.get(r["reason"] or "", "Ej angivet")]
            for r in rows]
    return Table(caption or f"Ej verkställda beslut kvartal {quarter} {year}",
                 ["Kommun", "Ärende", "Insatstyp", "Lagrum", "Beslutsdatum", "Dagar sedan beslut", last], body,
                 [False, False, False, False, False, True, False],
                 ["Antal beslut", "", "", "", "", sv_number(len(rows)), ""])