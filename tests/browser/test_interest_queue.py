"""The interest queue in the pages: a second interest refused in Swedish, brokering out of turn with a
reason and what the waiting member then sees, a brokered link ending without a placement."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from pool.actors import Actor, Role
from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.factories import published_family, referral_data

pytestmark = pytest.mark.browser
SOLNA = Actor(uuid.uuid4(), "sara.solna", Role.MUNICIPALITY, "0184")
SIGTUNA = Actor(uuid.uuid4(), "sam.sigtuna", Role.MUNICIPALITY, "0191")


def test_queue_second_interest_out_of_turn_and_link_without_placement(live_server: LiveServer, new_page) -> None:
    pool = live_server.pool
    family_id = published_family(pool)
    first_referral = pool.register_referral(SOLNA, **referral_data()).id
    second_referral = pool.register_referral(SOLNA, **referral_data(child_birth_month="2018-02")).id
    sigtuna_referral = pool.register_referral(SIGTUNA, **referral_data()).id
    live_server.settle(pool.express_interest(SIGTUNA, family_id, referral_id=sigtuna_referral))  # Sigtuna first
    sara, pia, sam = new_page(), new_page(), new_page()

    # Solna registers an interest, then tries a second one for another child: refused, in Swedish.
    login(sara, "sara.solna")
    for referral_id in (first_referral, second_referral):
        sara.goto(f"/katalog/{family_id}")
        sara.get_by_label("För vilken förfrågan?").select_option(str(referral_id))
        sara.get_by_role("button", name="Anmäl intresse").click()
    expect(sara.get_by_text("Er kommun har redan en öppen intresseanmälan för den här familjen")).to_be_visible()
    screenshot(sara, "interest-second-refused")
    sara.get_by_role("link", name="Gå till er öppna intresseanmälan").click()
    sara.get_by_label("Förfrågan").select_option(str(second_referral))
    sara.get_by_role("button", name="Koppla förfrågan").click()
    expect(sara.get_by_text("Förfrågan är kopplad till intresseanmälan.")).to_be_visible()
    expect(sara.get_by_role("link", name="Visa förfrågan 2")).to_be_visible()
    interest_url = sara.url

    # Pool staff broker Solna before Sigtuna: a reason is asked for, and recorded.
    login(pia, "pia.staff")
    pia.goto(f"/pool/familjer/{family_id}#ko")
    pia.get_by_label("Skäl att förmedla före i kön (0184)").select_option("urgent_placement")
    pia.get_by_label("Motivering (krävs för annat; visas bara för poolen)").fill("Barnet behöver flytta i dag.")
    pia.get_by_role("button", name="Förmedla kontakt till 0184").click()
    expect(pia.get_by_text("Kontakten är förmedlad.")).to_be_visible()
    queue = pia.get_by_role("table", name="Intressekö")
    expect(queue.get_by_text("Förmedlad före i kön: akut placering – Barnet behöver flytta i dag.")).to_be_visible()
    screenshot(pia, "interest-queue-out-of-turn")

    # Sigtuna, still waiting, sees that someone was brokered before it and why, by category only.
    login(sam, "sam.sigtuna")
    sam.goto("/intressen")
    row = sam.get_by_role("table").locator("tbody tr").first
    assert "Förmedlad före i kön: akut placering" in row.inner_text()
    assert "Barnet behöver" not in sam.content() and "0184" not in row.inner_text()
    screenshot(sam, "interest-passed-by")

    # Solna sees the contact, then records that the family declined: the contact closes again.
    sara.goto(interest_url)
    expect(sara.get_by_role("heading", name="Familjens kontaktuppgifter")).to_be_visible()
    sara.get_by_label("Utfall").select_option("family_declined")
    sara.get_by_role("button", name="Avsluta förmedlingen").click()
    expect(sara.get_by_text("Förmedlingen är avslutad utan placering.")).to_be_visible()
    expect(sara.get_by_text("Familjen avböjde")).to_be_visible()
    assert sara.get_by_role("heading", name="Familjens kontaktuppgifter").count() == 0
    token = sara.request.post("/api/auth/token", form={"username": "sara.solna", "password": PASSWORD}).json()
    contact = sara.request.get(f"/api/families/{family_id}/contact",
                               headers={"Authorization": f"Bearer {token['access_token']}"})
    assert contact.status == 404
    screenshot(sara, "interest-link-not-started")
