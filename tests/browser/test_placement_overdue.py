"""Placements in the browser: a child outside the age range needs an override, overdue placements show
"Förfallen" to staff and municipality, and one is extended and one ended, each after a confirmation step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.factories import family_data, published_family

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def overdue(live_server: LiveServer) -> dict[str, str]:
    """A family with three places, two of them taken by placements whose planned end has passed."""
    pool = live_server.pool
    staff = pool.authenticate("pia.staff", PASSWORD)
    family_id = published_family(pool, preferences={**family_data()["preferences"], "max_children": 3})
    ids = {"family": str(family_id)}
    for name, born in (("first", "2016-05"), ("second", "2015-03")):
        saved = pool.start_placement(staff, family_id=family_id, municipality="0184", kind="familjehem",
                                     start_date="2025-01-10", planned_end_date="2025-06-30", child_birth_month=born)
        ids[name] = str(saved.id)
    live_server.settle(saved)
    return ids


def rows_of(page) -> list[str]:
    return [t for t in page.locator("tbody tr").all_inner_texts()]


def test_overdue_placements_are_extended_and_ended_with_a_confirmation(new_page, overdue: dict[str, str]) -> None:
    sara, pia = new_page(), new_page()
    login(sara, "sara.solna")
    login(pia, "pia.staff")

    # Both sides see the placements as overdue ("Förfallen"): still active, past the planned end.
    sara.goto("/placeringar")
    assert all("Förfallen" in r for r in rows_of(sara)) and len(rows_of(sara)) == 2
    pia.goto("/pool/placeringar?status=forfallna")
    assert len(rows_of(pia)) == 2 and all("Förfallen" in r for r in rows_of(pia))
    screenshot(pia, "staff-placements-overdue")

    # Extend the first: the form asks once more before anything is written.
    pia.goto(f"/pool/placeringar/{overdue['first']}")
    expect(pia.get_by_text("Förfallen").first).to_be_visible()
    pia.get_by_label("Förläng till").fill("2027-06-30")
    pia.get_by_label("Skäl till förlängningen").fill("Nytt beslut om fortsatt vård.")
    pia.get_by_role("button", name="Förläng placeringen").click()
    expect(pia.get_by_role("heading", name="Bekräfta förlängningen")).to_be_visible()
    screenshot(pia, "staff-placement-extend-confirm")
    pia.get_by_role("button", name="Bekräfta förlängning").click()
    expect(pia.get_by_text("Placeringen är förlängd.")).to_be_visible()
    expect(pia.get_by_text("Nytt beslut om fortsatt vård.")).to_be_visible()  # the extension, its reason (audited)
    assert "Förfallen" not in pia.locator("dl.facts").inner_text()

    # End the second, confirmed: the place becomes free.
    pia.goto(f"/pool/placeringar/{overdue['second']}")
    pia.get_by_label("Slutdatum").fill("2026-11-30")
    pia.get_by_label("Anledning").select_option("planned")
    pia.get_by_role("button", name="Avsluta placeringen").click()
    expect(pia.get_by_role("heading", name="Bekräfta avslut")).to_be_visible()
    pia.get_by_role("button", name="Bekräfta avslut").click()
    expect(pia.get_by_text("Placeringen är avslutad.")).to_be_visible()

    pia.goto("/pool/placeringar?status=forfallna")
    expect(pia.get_by_text("Inga placeringar.")).to_be_visible()
    sara.goto("/placeringar")
    texts = rows_of(sara)
    assert not any("Förfallen" in r for r in texts)
    assert any("Pågår" in r for r in texts) and any("Avslutad" in r and "Planerat slut" in r for r in texts)


def test_a_child_outside_the_age_range_needs_an_override_with_a_reason(new_page, overdue: dict[str, str]) -> None:
    pia = new_page()
    login(pia, "pia.staff")
    pia.goto(f"/pool/familjer/{overdue['family']}")
    pia.get_by_label("Kommun", exact=True).select_option("0184")
    pia.get_by_label("Insatstyp").select_option("familjehem")
    pia.get_by_label("Startdatum").fill("2026-10-01")
    pia.get_by_label("Planerat slutdatum").fill("2027-10-01")
    pia.get_by_label("Barnets födelsemånad").fill("2023-02")
    pia.get_by_role("button", name="Registrera placering").click()
    expect(pia.locator("#err-placement").get_by_text(re.compile("3 år vid start, utanför familjens åldersspann 4–12 år"))).to_be_visible()
    pia.get_by_label(re.compile("Barnet är utanför familjens åldersspann")).check()
    pia.get_by_role("button", name="Registrera placering").click()
    expect(pia.locator("#err-age_override_reason").get_by_text("Skriv skälet till undantaget")).to_be_visible()
    pia.get_by_label("Skäl till undantaget").fill("Placeras med sitt äldre syskon.")
    pia.get_by_role("button", name="Registrera placering").click()
    expect(pia.get_by_text("Placeringen är registrerad.")).to_be_visible()
    pia.goto("/pool/placeringar?status=aktiva")
    row = pia.locator("tbody tr", has_text="Åldersundantag")
    assert row.count() == 1
    row.get_by_role("link").click()
    expect(pia.get_by_text("Skäl: Placeras med sitt äldre syskon.")).to_be_visible()
