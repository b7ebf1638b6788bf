"""Pool staff in Chromium: a new application, the investigation checklist, approval and training, by the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, login, screenshot

pytestmark = pytest.mark.browser
STEPS = ["Utdrag ur belastningsregistret", "Utdrag ur socialregistret", "Referens 1", "Referens 2", "Intervju",
         "Hembesök"]


def test_application_investigation_approval_and_training(live_server: LiveServer, new_page) -> None:
    pia = new_page()
    login(pia, "pia.staff")
    pia.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ny ansökan").click()
    pia.get_by_label("Kontaktfamilj").check()
    pia.get_by_label(re.compile("^Hemkommun")).select_option("0184")
    pia.get_by_role("group", name="Vuxen 1").get_by_label(re.compile("^Namn")).fill("Maja Provsson")
    pia.get_by_role("group", name="Vuxen 1").get_by_label(re.compile("^Personnummer")).fill("19721212-1218")
    pia.get_by_label("Hemmavarande barns födelseår").fill("2015")
    pia.get_by_label(re.compile("^Adress")).fill("Testvägen 3")
    pia.get_by_label(re.compile("^Postnummer")).fill("17000")
    pia.get_by_label(re.compile("^Ort")).fill("Solna")
    pia.get_by_label(re.compile("^Telefon")).fill("070-111 22 33")
    pia.get_by_label(re.compile("^Högst antal barn")).fill("1")
    pia.get_by_label("Språk").select_option(["sv", "fi"])  # ISO 639 codes, shown by their Swedish names
    screenshot(pia, "staff-application")
    pia.get_by_role("button", name="Registrera ansökan").click()
    # The checksum is wrong: the message stands by the field and the form keeps what was typed.
    assert pia.locator("#err-adult1_pnr").inner_text() == "Personnumret är inte giltigt."
    assert pia.get_by_label(re.compile("^Adress")).input_value() == "Testvägen 3"
    pia.get_by_role("group", name="Vuxen 1").get_by_label(re.compile("^Personnummer")).fill("19721212-1219")
    pia.get_by_role("button", name="Registrera ansökan").click()
    expect(pia.get_by_text("Ansökan är registrerad.")).to_be_visible()
    expect(pia.get_by_role("heading", name="Maja Provsson")).to_be_visible()

    # Approving too early says what is missing.
    pia.get_by_role("button", name="Godkänn familjen").click()
    assert "Utredningen är inte klar" in pia.locator("#err-decision").inner_text()
    for step in STEPS:
        pia.get_by_label(re.compile("^Steg")).select_option(label=step)
        pia.get_by_label(re.compile("^Utfall")).select_option("clear")
        pia.get_by_label("Anteckning").fill(f"{step}: utan anmärkning")
        pia.get_by_role("button", name="Registrera steg").click()
        expect(pia.get_by_text("Utredningssteget är registrerat.")).to_be_visible()
    expect(pia.get_by_text("Checklista (6 av 6 klara)")).to_be_visible()
    pia.get_by_role("button", name="Godkänn familjen").click()
    expect(pia.get_by_text("Familjen är godkänd.")).to_be_visible()
    pia.get_by_label(re.compile("^Kurs")).select_option(label="Ett hem att växa i")
    pia.get_by_label(re.compile("^Genomförd")).fill("2026-02-01")
    pia.get_by_role("button", name="Registrera deltagande").click()
    expect(pia.get_by_text("Ett hem att växa i – 2026-02-01")).to_be_visible()
    # The preview already shows the card as municipalities will see it, without any name.
    preview = pia.locator("#preview-card").inner_text()
    assert "Kontaktfamilj" in preview and "Ett hem att växa i" in preview and "Maja" not in preview

    pia.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Register").click()
    row = pia.locator("tbody tr", has_text="Maja Provsson")
    assert "Godkänd" in row.inner_text() and "6 av 6" in row.inner_text()
