"""A member's invoice basis (fakturaunderlag) for the cost allocation, as a one-page PDF (fpdf2)."""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from api.allocation_notes import allocation_note_sv
from api.formatting import sv_date, sv_exact, sv_number, sv_percent, sv_sek
from pool.allocation import MemberAllocation

LABEL_WIDTH = 78


def sek(value: Decimal) -> str:
    """Swedish money: "1 234 567,89 kr" (U+00A0 is Latin-1, so the core fonts draw it)."""
    return sv_sek(value)


def number(value: int) -> str:
    return sv_number(value)


def fraction(value: Decimal) -> str:
    return sv_exact(value)


def latin1(text: str) -> str:
    # The core fonts are Latin-1: Swedish letters fit; anything else becomes "?" rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


class _Invoice(FPDF):
    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 11)
        self.cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)

    def line_item(self, label: str, value: str) -> None:
        self.cell(LABEL_WIDTH, 6, latin1(label))
        self.multi_cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str) -> None:
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def render(shown: Any, m: MemberAllocation, notes: list[Any]) -> bytes:
    """The PDF bytes; uncompressed, so the figures can be read (and checked) in the file itself."""
    allocation = shown.allocation
    sources = (shown.sources or {}).get(m.municipality) or {}
    members = allocation.members
    total_children = sum(x.children for x in members)
    total_placed = sum(x.placed_children for x in members)
    days = 366 if calendar.isleap(allocation.year) else 365
    pdf = _Invoice(format="A4")
    pdf.set_compression(False)
    pdf.set_title(latin1(f"Fakturaunderlag {allocation.year} {m.municipality} {m.name}"))
    pdf.set_creator("familjepool")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, latin1(f"Fakturaunderlag, familjepoolen {allocation.year}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 7, latin1(f"Medlemskommun: {m.municipality} {m.name}"), new_x="LMARGIN", new_y="NEXT")
    if shown.adoption is not None:
        a = shown.adoption
        status = f"Fastställd av styrgruppen {sv_date(a.adopted_on)}, version {a.version}"
        if a.reason:
            status += f" ({a.reason})"
    else:
        status = "Preliminär: ännu inte fastställd av styrgruppen, beloppen kan ändras"
    pdf.cell(0, 7, latin1(f"Status: {status}"), new_x="LMARGIN", new_y="NEXT")

    pdf.heading("Att betala")
    pdf.line_item("Belopp", sek(m.amount_sek))
    pdf.line_item("Poolens budget", sek(allocation.budget_sek))
    pdf.line_item("Referensdag", f"{sv_date(allocation.reference_date)} (1 november året före budgetåret)")

    pdf.heading("Formel (enligt samverkansavtalet)")
    pdf.paragraph("andel barn = c / C;  andel placeringar = p / P  (= c / C om P = 0)")
    pdf.paragraph("nyckelandel = 0,5 × andel barn + 0,5 × andel placeringar")
    pdf.paragraph("andel = nyckelandel, pro rata efter medlemsdagar d / D vid medlemskap del av året")
    pdf.paragraph("belopp = budget × andel, avrundat till öre med största-rest-metoden; "
                  "medlemmarnas belopp summerar exakt till budgeten.")

    pdf.heading("Indata")
    pdf.line_item("Barn 0-17 i kommunen (c)", number(m.children))
    pdf.line_item("Källa för befolkningstalet", sources.get("population") or "ej angiven")
    pdf.line_item("Barn 0-17, alla medlemmar (C)", number(total_children))
    pdf.line_item("Placerade barn 0-17 (p)", f"{number(m.placed_children)} (rapporterat av kommunen)")
    pdf.line_item("Källa för placerade barn", sources.get("placed_children") or "ej angiven")
    pdf.line_item("Placerade barn, alla medlemmar (P)", number(total_placed))
    pool_share = f", {sv_percent(m.pool_share, 1)} av p" if m.pool_share is not None else ""
    pdf.line_item("Varav genom poolen (kontroll)", f"{number(m.pool_placements)} placeringar{pool_share}")
    if m.pool_placement_ids:
        pdf.line_item("Poolens placeringar", " ".join(m.pool_placement_ids))
    pdf.line_item("Medlemsdagar (d av D)", f"{m.membership_days} av {days}")

    pdf.heading("Beräkning")
    pdf.line_item("Andel barn (c / C)", fraction(m.children_share))
    pdf.line_item("Andel placeringar (p / P)", fraction(m.placements_share))
    pdf.line_item("Nyckelandel", fraction(m.key_share))
    pdf.line_item("Pro rata (d / D)", fraction(m.pro_rata))
    pdf.line_item("Andel", fraction(m.share))
    pdf.line_item("Belopp (budget × andel)", sek(m.amount_sek))
    pdf.line_item("Varav barndel", sek(m.children_part_sek))
    pdf.line_item("Varav placeringsdel", sek(m.placements_part_sek))
    pdf.line_item("Summa, alla medlemmar", sek(allocation.total_sek))

    if allocation.placement_key_fallback or notes:
        pdf.heading("Anmärkningar")
        for note in notes:
            pdf.paragraph(f"- {allocation_note_sv(note)}")
    return bytes(pdf.output())
