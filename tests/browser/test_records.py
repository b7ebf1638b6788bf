"""Maintaining records in Chromium: a family's phone changed and read back; a referral closed, later erased."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from projections.contract import AuditFilter
from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.conftest import postgres_schema
from tests.factories import published_family, referral_data

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def database_url_for_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """As in conftest, with a retention period of 0 days: a closed referral may be erased at once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAMILJEPOOL_REFERRAL_RETENTION_DAYS", "0")
        if os.environ.get("FAMILJEPOOL_BROWSER_BACKEND", "sqlite") != "postgres":
            yield f"sqlite:///{tmp_path_factory.mktemp('records') / 'familjepool.db'}"
            return
        with postgres_schema("records") as url:
            yield url


def test_a_family_phone_is_changed_and_shown_after_reload(live_server: LiveServer, new_page) -> None:
    family_id = published_family(live_server.pool)
    live_server.app.state.read_models.wait_for(live_server.pool.recorder.max_notification_id(), timeout=5)
    pia = new_page()
    login(pia, "pia.staff")
    pia.goto(f"/pool/familjer/{family_id}")
    pia.get_by_role("link", name="Ändra hushåll, kontaktuppgifter, insatstyper och platser").click()
    phone = pia.get_by_label(re.compile("^Telefon"))
    assert phone.input_value() == "070-555 12 34"
    phone.fill("073-222 33 44")
    screenshot(pia, "staff-family-edit")
    pia.get_by_role("button", name="Spara kontaktuppgifter").click()
    expect(pia.get_by_text("Kontaktuppgifterna är ändrade.")).to_be_visible()
    pia.reload()
    expect(pia.get_by_text("073-222 33 44")).to_be_visible()
    assert not pia.get_by_text("070-555 12 34").count()
    # Every showing of the personal data is in the audit trail, the one after the reload too.
    live_server.app.state.read_models.wait_for(live_server.pool.recorder.max_notification_id(), timeout=5)
    reads = [e for e in live_server.app.state.read_models.audit(AuditFilter(aggregate=family_id, actor="pia.staff"),
                                                                 limit=100).items
             if e.get("access") and e["access"]["via"] == "GET /pool/familjer/{id}"]
    assert len(reads) >= 2


def test_a_referral_is_closed_and_later_erased(live_server: LiveServer, new_page) -> None:
    sara_actor = live_server.pool.authenticate("sara.solna", PASSWORD)
    saved = live_server.pool.register_referral(sara_actor, **referral_data(needs="Behöver en lugn miljö nära skolan."))
    live_server.settle(saved)
    sara = new_page()
    login(sara, "sara.solna")
    sara.goto(f"/forfragningar/{saved.id}")
    sara.get_by_label(re.compile("^Utfall")).select_option(label="Placerad på annat sätt")
    sara.get_by_label("Anteckning (frivillig)").fill("Placerad i kommunens egen familj.")
    sara.get_by_label(re.compile("^Jag bekräftar: förfrågan avslutas")).check()
    sara.get_by_role("button", name="Avsluta förfrågan").click()
    expect(sara.get_by_text("Förfrågan är avslutad.")).to_be_visible()
    expect(sara.get_by_text("Placerad på annat sätt")).to_be_visible()
    expect(sara.get_by_text("Behöver en lugn miljö nära skolan.")).to_be_visible()
    screenshot(sara, "municipality-referral-closed")
    # Erasing needs the confirmation: the browser does not send the form without it.
    sara.get_by_role("button", name="Radera barnets uppgifter").click()
    assert live_server.pool.version_of(saved.id) == 2
    sara.get_by_label(re.compile("^Jag bekräftar: barnets uppgifter")).check()
    sara.get_by_role("button", name="Radera barnets uppgifter").click()
    expect(sara.get_by_text("Barnets uppgifter i förfrågan är raderade.")).to_be_visible()
    sara.reload()
    expect(sara.get_by_text("Raderade (behov, önskemål och anteckning)")).to_be_visible()
    assert not sara.get_by_text("Behöver en lugn miljö nära skolan.").count()
    assert not live_server.pool.sealer.can_unseal(saved.id)
