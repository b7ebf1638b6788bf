"""A second consultant reviews the catalogue description before it is published ("granskad av"), by the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, login, screenshot
from tests.factories import approved_family

pytestmark = pytest.mark.browser
TEXT = "Lugn familj med trädgård och två katter, nära skog och sjö."


def test_description_is_saved_reviewed_by_another_consultant_and_published(live_server: LiveServer,
                                                                            new_page) -> None:
    family_id = approved_family(live_server.pool)
    page_url = f"/pool/familjer/{family_id}"
    pia, per, sara = new_page(), new_page(), new_page()

    login(pia, "pia.staff")
    pia.goto(page_url)
    expect(pia.locator("#granskning").get_by_text("Ingen beskrivning är sparad ännu.")).to_be_visible()
    pia.get_by_label("Anonym beskrivning").fill("Ring oss på 070-555 12 34")
    pia.get_by_role("button", name="Spara för granskning").click()
    assert "telefonnummer" in pia.locator("#err-description").inner_text()  # the server's check, by the field
    pia.get_by_label("Anonym beskrivning").fill(TEXT)
    pia.get_by_role("button", name="Spara för granskning").click()
    expect(pia.get_by_text("Beskrivningen är sparad.", exact=False)).to_be_visible()
    assert "Inte granskad. Skriven av pia.staff." in pia.locator("#granskad").inner_text()
    # The author is offered no review and no publication.
    assert pia.get_by_role("button", name="Granska och godkänn beskrivningen").count() == 0
    assert pia.get_by_role("button", name="Publicera i katalogen").count() == 0

    login(per, "per.staff")
    per.goto(page_url)
    assert per.get_by_label("Anonym beskrivning").input_value() == TEXT
    per.get_by_role("button", name="Granska och godkänn beskrivningen").click()
    expect(per.get_by_text("Beskrivningen är granskad och kan publiceras.")).to_be_visible()
    assert re.fullmatch(r"Granskad av per\.staff, \d{4}-\d{2}-\d{2}\.", per.locator("#granskad").inner_text())
    screenshot(per, "staff-description-reviewed")

    pia.goto(page_url)
    assert pia.locator("#granskad").inner_text().startswith("Granskad av per.staff, ")
    pia.get_by_role("button", name="Publicera i katalogen").click()
    expect(pia.get_by_text("Familjen är publicerad i katalogen.")).to_be_visible()

    login(sara, "sara.solna")
    sara.goto(f"/katalog/{family_id}")
    expect(sara.get_by_text(TEXT)).to_be_visible()

    # A changed text waits for a new review; the catalogue keeps the published one meanwhile.
    pia.get_by_label("Anonym beskrivning").fill("Aktiv familj nära havet med båt.")
    pia.get_by_role("button", name="Spara för granskning").click()
    assert "Inte granskad." in pia.locator("#granskad").inner_text()
    sara.reload()
    expect(sara.get_by_text(TEXT)).to_be_visible()
