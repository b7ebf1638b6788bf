""""Visa som den var den …" in the browser: pool staff pick a past moment on the register and the catalogue,
see the earlier state under a "Visar läget den …" banner, and go back to now."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.factories import family_data, published_family

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def history(live_server: LiveServer) -> str:
    """A family published, then (a few seconds later) taken out of the catalogue, and a new applicant."""
    pool = live_server.pool
    staff = pool.authenticate("pia.staff", PASSWORD)
    published = published_family(pool)
    time.sleep(1.2)  # the moment, in whole seconds as the field takes it, falls between the steps
    moment = datetime.now(ZoneInfo("Europe/Stockholm")).replace(microsecond=0)
    time.sleep(1.2)
    pool.unpublish_family(staff, published)
    live_server.settle(pool.apply_family(staff, **family_data()))
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def test_staff_see_the_register_and_catalogue_as_they_were(new_page, history: str) -> None:
    pia = new_page()
    login(pia, "pia.staff")
    pia.goto("/pool")
    assert pia.locator("tbody tr").count() == 2
    assert "Avpublicerad" in pia.locator("tbody").inner_text()

    pia.get_by_label("Visa som den var den …").fill(history)
    pia.get_by_role("button", name="Välj tidpunkt").click()
    pia.wait_for_load_state()
    expect(pia.get_by_text("Visar läget den")).to_be_visible()
    rows = pia.locator("tbody tr")
    assert rows.count() == 1 and "Publicerad" in rows.first.inner_text()
    screenshot(pia, "staff-register-as-of")

    pia.get_by_role("link", name="Visa läget nu").click()
    pia.wait_for_load_state()
    assert pia.get_by_text("Visar läget den").count() == 0
    assert pia.locator("tbody tr").count() == 2

    pia.goto("/katalog")
    before = pia.locator("article").count()
    pia.get_by_label("Visa som den var den …").fill(history)
    pia.get_by_role("button", name="Välj tidpunkt").click()
    pia.wait_for_load_state()
    expect(pia.get_by_text("Visar läget den")).to_be_visible()
    assert pia.locator("article").count() == before + 1  # the family was in the catalogue then


def test_a_moment_in_the_future_is_refused_on_the_page(new_page, live_server: LiveServer) -> None:
    pia = new_page()
    login(pia, "pia.staff")
    pia.goto("/pool?as_of=2999-01-01T00:00:00")
    expect(pia.get_by_text("Tidpunkten ligger i framtiden")).to_be_visible()
    assert pia.get_by_text("Visar läget den").count() == 0


def test_the_steering_group_sees_the_statistics_as_they_were(new_page, history: str) -> None:
    stina = new_page()
    login(stina, "stina.steering")
    stina.goto("/styrgrupp/statistik")
    stina.get_by_label("Visa som den var den …").fill(history)
    stina.get_by_role("button", name="Välj tidpunkt").click()
    stina.wait_for_load_state()
    expect(stina.get_by_text("Visar läget den")).to_be_visible()
    assert f"as_of={history[:10]}" in stina.url
    stina.get_by_role("link", name="Visa läget nu").click()
    assert stina.get_by_text("Visar läget den").count() == 0
