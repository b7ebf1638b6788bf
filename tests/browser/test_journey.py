"""The whole journey through the pages only: municipality -> pool staff -> municipality, with screenshots."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, login, screenshot
from tests.factories import approved_family

pytestmark = pytest.mark.browser


def menu(page, name: str) -> None:
    """Follow an entry of the main menu."""
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name, exact=True).click()


def test_referral_interest_brokering_contact_and_placement(live_server: LiveServer, new_page) -> None:
    family_id = approved_family(live_server.pool)  # set-up by command: an investigated, approved family
    sara, pia = new_page(), new_page()

    # The municipality registers a referral.
    login(sara, "sara.solna")
    expect(sara.get_by_role("heading", name="Familjekatalog")).to_be_visible()
    menu(sara, "Mina förfrågningar")
    sara.get_by_role("link", name="Ny förfrågan").click()
    sara.get_by_label("Insatstyp").select_option("familjehem")
    sara.get_by_label("Lagrum").select_option("SoL")
    sara.get_by_label("Beslutsdatum").fill("2026-06-01")
    sara.get_by_label("Barnets födelsemånad").fill("2016-05")
    sara.get_by_label(re.compile("^Behov")).fill("Behöver lugn miljö och stöd i skolan.")
    sara.get_by_label("Önskemål").fill("Gärna nära Solna.")
    sara.get_by_role("button", name="Registrera förfrågan").click()
    expect(sara.get_by_text("Förfrågan är registrerad.")).to_be_visible()
    referral_url = sara.url
    menu(sara, "Mina förfrågningar")
    assert sara.locator("tr.overdue").count() == 1  # decided over three months ago and not placed
    screenshot(sara, "municipality-referrals")

    # Pool staff: the register, the family page, the description with its live preview, publish.
    login(pia, "pia.staff")  # pool staff land on their work list (arbetslistan)
    assert pia.url.endswith("/arbetslista")
    menu(pia, "Register")
    expect(pia.get_by_role("heading", name="Register över sökande och familjer")).to_be_visible()
    screenshot(pia, "staff-register")
    pia.get_by_role("link", name=re.compile("Kalle Testsson")).click()
    expect(pia.get_by_text("19721212-1219")).to_be_visible()
    description = pia.get_by_label("Anonym beskrivning")
    description.fill("Ring oss på 070-555 12 34")
    assert pia.locator("#preview-description").inner_text() == "Ring oss på 070-555 12 34"
    assert "telefonnummer" in pia.locator("#preview-warning").inner_text()
    pia.get_by_role("button", name="Spara för granskning").click()
    assert "telefonnummer" in pia.locator("#err-description").inner_text()  # the server's check, by the field
    pia.get_by_label("Anonym beskrivning").fill("Aktiv familj med hund, nära skog och sjö.")
    assert pia.locator("#preview-description").inner_text() == "Aktiv familj med hund, nära skog och sjö."
    pia.get_by_role("button", name="Spara för granskning").click()
    per = new_page()  # a second consultant reviews the description ("granskad av")
    login(per, "per.staff")
    per.goto(pia.url.split("#")[0])
    per.get_by_role("button", name="Granska och godkänn beskrivningen").click()
    expect(per.get_by_text("Beskrivningen är granskad och kan publiceras.")).to_be_visible()
    pia.reload()
    pia.get_by_role("button", name="Publicera i katalogen").click()
    expect(pia.get_by_text("Familjen är publicerad i katalogen.")).to_be_visible()
    screenshot(pia, "staff-family")

    # Pool staff propose the family for the referral.
    menu(pia, "Förfrågningar")
    pia.get_by_role("link", name="Familjehem").first.click()
    expect(pia.get_by_text("Behöver lugn miljö")).to_be_visible()
    pia.get_by_label(re.compile("Familj FP-0001")).check()
    pia.get_by_role("button", name="Föreslå valda familjer").click()
    expect(pia.get_by_text("Förslaget är skickat.")).to_be_visible()
    screenshot(pia, "staff-referral")

    # The municipality sees the proposal, browses the catalogue and expresses interest.
    menu(sara, "Familjekatalog")
    sara.get_by_label("Insatstyp").select_option("familjehem")
    sara.get_by_label("Barnets ålder (år)").fill("9")
    sara.get_by_label("Bara familjer med ledig plats nu").check()
    sara.get_by_role("button", name="Visa familjer").click()
    assert sara.locator(".family-card").count() == 1
    # Ids in links are random UUIDs that may contain "1972" by chance: look at the page without them.
    page_text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", sara.content())
    assert "Kalle" not in page_text and "1972" not in page_text
    screenshot(sara, "municipality-catalogue")
    sara.goto(referral_url)
    sara.get_by_role("link", name="Familj FP-0001").click()
    sara.get_by_label("För vilken förfrågan?").select_option(index=1)
    sara.get_by_label("Meddelande till poolen").fill("Vi är intresserade.")
    screenshot(sara, "municipality-family-card")
    sara.get_by_role("button", name="Anmäl intresse").click()
    expect(sara.get_by_text("Intresseanmälan är skickad.")).to_be_visible()
    expect(sara.get_by_role("cell", name="I kö")).to_be_visible()
    sara.get_by_role("link", name="Familj FP-0001").click()
    expect(sara.get_by_text("Poolen har inte förmedlat kontakten ännu.")).to_be_visible()
    assert "Kalle" not in sara.content()

    # Pool staff broker the contact from the family's queue.
    menu(pia, "Intressen")
    pia.get_by_role("link", name="Familj FP-0001").click()
    pia.get_by_role("button", name=re.compile("^Förmedla")).click()
    expect(pia.get_by_text("Kontakten är förmedlad.")).to_be_visible()

    # The municipality now sees who the family is.
    menu(sara, "Mina intressen")
    sara.get_by_role("link", name=re.compile("Visa kontaktuppgifter")).click()
    expect(sara.get_by_text("Kalle Testsson")).to_be_visible()
    expect(sara.get_by_text("070-555 12 34")).to_be_visible()
    screenshot(sara, "municipality-contact")

    # Pool staff record the placement; the municipality sees it.
    pia.goto(f"/pool/familjer/{family_id}")
    pia.get_by_label("Förfrågan", exact=True).select_option(index=1)
    pia.get_by_label("Insatstyp").select_option("familjehem")
    pia.get_by_label("Startdatum").fill(date.today().isoformat())  # not before the brokering (today)
    pia.get_by_label("Planerat slutdatum").fill("2027-10-01")
    pia.get_by_label("Barnets födelsemånad").fill("2016-05")
    pia.get_by_role("button", name="Registrera placering").click()
    expect(pia.get_by_text("Placeringen är registrerad.")).to_be_visible()
    menu(sara, "Mina placeringar")
    row = sara.locator("tbody tr")
    assert row.count() == 1 and "Familj FP-0001" in row.inner_text() and "Pågår" in row.inner_text()
    screenshot(sara, "municipality-placements")
    menu(sara, "Mina förfrågningar")
    expect(sara.get_by_role("cell", name="Placerad")).to_be_visible()

    # Pool staff end the placement.
    menu(pia, "Placeringar")
    screenshot(pia, "staff-placements")
    pia.get_by_role("link", name="Familj FP-0001").click()
    pia.get_by_label("Slutdatum").fill(date.today().isoformat())
    pia.get_by_label("Anledning").select_option("moved_home")
    pia.get_by_role("button", name="Avsluta placeringen").click()
    pia.get_by_role("button", name="Bekräfta avslut").click()  # the confirmation step
    expect(pia.get_by_text("Placeringen är avslutad.")).to_be_visible()
    sara.reload()
    menu(sara, "Mina placeringar")
    assert "Barnet flyttade hem" in sara.locator("tbody tr").inner_text()
