"""The administrator's pages in Chromium: members, budget, population import, users; errors by the field."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.browser.test_steering_pages import doc_shot
from tests.conftest import SYSTEM

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data"


def test_admin_adds_and_edits_a_member(live_server: LiveServer, new_page: Any) -> None:
    page = new_page(width=1000, height=750)
    login(page, "adam.admin")
    expect(page.get_by_role("heading", name="Medlemskommuner", level=1)).to_be_visible()  # the admin's start page
    page.get_by_role("link", name="Lägg till medlemskommun").click()
    page.get_by_label("Kommunkod").fill("12")
    page.get_by_label("Namn").fill("")
    page.get_by_label("Medlem från och med").fill("2026-01-01")
    page.get_by_role("button", name="Lägg till").click()
    assert page.locator("#err-kommunkod").inner_text().endswith("Ange en kommunkod med fyra siffror, t.ex. 0184.")
    assert page.locator("#err-name").inner_text().endswith("Fältet måste fyllas i.")
    assert page.get_by_label("Kommunkod").get_attribute("aria-invalid") == "true"
    page.get_by_label("Kommunkod").fill("0184")
    page.get_by_label("Namn").fill("Solna igen")
    page.get_by_role("button", name="Lägg till").click()
    assert "redan registrerad" in page.locator("#err-kommunkod").inner_text()
    page.get_by_label("Kommunkod").fill("0186")
    page.get_by_label("Namn").fill("Lidingö")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("0186 Lidingö är registrerad som medlem.")).to_be_visible()
    expect(page.get_by_role("heading", name="0186 Lidingö", level=1)).to_be_visible()

    page.get_by_label("Namn").fill("Lidingö stad")
    page.get_by_role("button", name="Spara ändringar").click()
    expect(page.get_by_text("Ändringen är sparad.")).to_be_visible()
    population = page.get_by_role("region", name="Befolkningsuppgifter")  # the placed-children form has the same labels
    population.get_by_label("År (1 november)").fill(str(date.today().year - 1))
    population.get_by_label("Barn 0–17").fill("9876")
    population.get_by_label("Källa").fill("SCB 2025-12-31")
    population.get_by_role("button", name="Spara befolkningsuppgift").click()
    expect(page.locator("table").get_by_text("9876")).to_be_visible()
    page.get_by_label("Sista dag som medlem").fill("2025-12-31")
    page.get_by_role("button", name="Registrera utträde").click()
    assert page.locator("#err-left_on").inner_text().endswith("Sista dagen kan inte ligga före inträdet 2026-01-01.")
    page.get_by_label("Sista dag som medlem").fill("2026-06-30")
    page.get_by_role("button", name="Registrera utträde").click()
    expect(page.get_by_text("Kommunen lämnade poolen 2026-06-30.")).to_be_visible()
    page.get_by_role("link", name="Medlemskommuner").first.click()
    expect(page.get_by_role("link", name="Lidingö stad")).to_be_visible()
    screenshot(page, "admin-members")
    doc_shot(page, "doc-admin-medlemmar")
    member = next(m for m in live_server.app.state.read_models.members() if m["municipality"] == "0186")
    assert member["name"] == "Lidingö stad" and member["left_on"] == "2026-06-30"


def test_admin_sets_a_budget(live_server: LiveServer, new_page: Any) -> None:
    page = new_page()
    login(page, "adam.admin")
    page.get_by_role("link", name="Budget", exact=True).click()
    page.get_by_label("Budgetår").fill("2031")
    page.get_by_label("Belopp i kronor").fill("7 300 000,5")
    page.get_by_role("button", name="Spara budget").click()
    expect(page.get_by_text("Budgeten för 2031 är sparad: 7\u00a0300\u00a0000,50\u00a0kr.")).to_be_visible()
    expect(page.locator("tbody tr", has_text="2031").get_by_text("7\u00a0300\u00a0000,50\u00a0kr")).to_be_visible()
    assert {b["year"]: str(b["amount_sek"]) for b in live_server.app.state.read_models.budgets()}[2031] == "7300000.50"
    page.get_by_label("Belopp i kronor").fill("tio kronor")
    page.get_by_role("button", name="Spara budget").click()
    assert "Ange ett belopp i kronor" in page.locator("#err-amount_sek").inner_text()
    screenshot(page, "admin-budget")


def test_admin_imports_population_figures_after_confirming(live_server: LiveServer, new_page: Any) -> None:
    page = new_page(width=1000, height=750)
    login(page, "adam.admin")
    page.get_by_role("link", name="Befolkning", exact=True).click()
    page.get_by_role("link", name="Importera från fil").click()
    page.get_by_label(re.compile(r"^År\b")).fill("2025")
    page.get_by_label("Fil").set_input_files(str(DATA / "plain_children.csv"))
    page.get_by_label("Fil").set_input_files({"name": "trasig.csv", "mimeType": "text/csv",
                                              "buffer": b"kommunkod,barn\n0184,many\n"})
    page.get_by_role("button", name="Läs in filen").click()
    error = page.locator("#err-file").inner_text()
    assert "Filen kunde inte läsas och inget har sparats." in error and "rad 2" in error

    page.get_by_label("Fil").set_input_files(str(DATA / "scb_population_0_17_latin1.csv"))
    page.get_by_role("button", name="Läs in filen").click()
    expect(page.get_by_role("heading", name="Kontrollera importen")).to_be_visible()
    expect(page.get_by_text("inget är sparat ännu")).to_be_visible()
    preview = {r.locator("th").inner_text().split(" (")[0]: r.locator("td").all_inner_texts()
               for r in page.locator("#import-preview tbody tr").all()}
    assert len(preview) == 6 and all(v[1] == "ny" for v in preview.values())
    assert not any(m["child_population"].get(2025) for m in live_server.app.state.read_models.members()
                   if m["municipality"] != "0186")  # nothing written before the confirmation
    screenshot(page, "admin-import-preview")
    doc_shot(page, "doc-admin-import")
    page.get_by_role("button", name="Bekräfta och spara 6 uppgifter").click()
    expect(page.get_by_text("6 av 6 uppgifter för 2025 är sparade.")).to_be_visible()
    assert page.locator("#import-result tbody tr").count() == 6
    screenshot(page, "admin-import-result")
    figures = {m["municipality"]: m["child_population"].get(2025) for m in live_server.app.state.read_models.members()}
    for code, figure in figures.items():
        if code in preview and code != "0186":
            assert figure["children"] == int(preview[next(k for k in preview if k.startswith(code))][0]
                                              .replace("\u00a0", ""))
            assert figure["source"].startswith("SCB, folkmängd 0–17 år, 2025-12-31")


def test_admin_adds_disables_and_resets_a_user(live_server: LiveServer, new_page: Any) -> None:
    pool = live_server.pool
    for n in range(18):  # more users than one page holds
        saved = pool.add_user(SYSTEM, f"zz.user{n:02d}", role="pool_staff", password=PASSWORD)
    live_server.settle(saved)
    page = new_page(width=1000, height=750)
    login(page, "adam.admin")
    page.get_by_role("link", name="Användare", exact=True).click()
    page.get_by_role("link", name="Lägg till användare").click()
    page.get_by_label("Användarnamn").fill("Kim Solna")
    page.get_by_label("Roll").select_option("municipality")
    page.get_by_label(re.compile(r"^Lösenord")).fill("kort")
    page.get_by_label("Upprepa lösenordet").fill("kort")
    page.get_by_role("button", name="Skapa användare").click()
    expect(page.locator("#err-username")).to_be_visible()
    assert page.locator("#err-municipality").inner_text().endswith("En kommunanvändare behöver en medlemskommun.")
    assert page.locator("#err-password").inner_text().endswith("Lösenordet ska vara 12–256 tecken långt.")
    assert page.get_by_label(re.compile(r"^Lösenord")).input_value() == ""  # never sent back
    page.get_by_label(re.compile(r"^Lösenord")).fill("password1234")
    page.get_by_label("Upprepa lösenordet").fill("password1234")
    page.get_by_role("button", name="Skapa användare").click()
    assert "för vanligt eller lätt att gissa" in page.locator("#err-password").inner_text()
    page.get_by_label("Användarnamn").fill("kim.solna")
    page.get_by_label("Kommun").select_option("0184")
    page.get_by_label(re.compile(r"^Lösenord")).fill("ett bra långt lösenord")
    page.get_by_label("Upprepa lösenordet").fill("ett bra långt lösenord")
    page.get_by_role("button", name="Skapa användare").click()
    expect(page.get_by_text("Användaren kim.solna är skapad.")).to_be_visible()
    expect(page.get_by_text("Sida 1 av 2").first).to_be_visible()
    row = page.locator("#users tbody tr", has_text="kim.solna")
    assert row.get_by_text("Kommun", exact=True).is_visible() and row.get_by_text("Aktiv", exact=True).is_visible()
    screenshot(page, "admin-users")
    doc_shot(page, "doc-admin-anvandare")
    row.get_by_role("button", name="Inaktivera kim.solna").click()
    expect(page.get_by_text("kim.solna är inaktiverad och utloggad.")).to_be_visible()
    expect(page.locator("#users tbody tr", has_text="kim.solna").get_by_text("Inaktiverad")).to_be_visible()
    page.locator("#users tbody tr", has_text="kim.solna").get_by_role("button", name="Aktivera kim.solna").click()
    page.locator("#users tbody tr", has_text="kim.solna").get_by_role("link", name="Nytt lösenord").click()
    page.get_by_label("Nytt lösenord").fill("ett helt nytt lösenord")
    page.get_by_label("Upprepa lösenordet").fill("ett annat lösenord")
    page.get_by_role("button", name="Byt lösenord").click()
    assert page.locator("#err-password_again").inner_text().endswith("Lösenorden är inte lika.")
    page.get_by_label("Nytt lösenord").fill("ett helt nytt lösenord")
    page.get_by_label("Upprepa lösenordet").fill("ett helt nytt lösenord")
    page.get_by_role("button", name="Byt lösenord").click()
    expect(page.get_by_text("Lösenordet för kim.solna är bytt.")).to_be_visible()
    page.get_by_role("link", name="Nästa ›").first.click()
    expect(page.get_by_text("Sida 2 av 2").first).to_be_visible()

    other = new_page()
    login(other, "kim.solna", "ett helt nytt lösenord")
    expect(other.get_by_role("button", name="Logga ut")).to_be_visible()
    assert other.goto("/admin/anvandare").status == 403
