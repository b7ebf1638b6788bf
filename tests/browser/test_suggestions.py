"""The "Förslag" panel: a consultant sees explained suggestions and proposes two with one click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.factories import published_family

pytestmark = pytest.mark.browser


def prefs(lo: int, hi: int, languages: list[str]) -> dict:
    return {"child_age_min": lo, "child_age_max": hi, "max_children": 1, "siblings_ok": False, "languages": languages}


def test_consultant_sees_explained_suggestions_and_proposes_two(live_server: LiveServer, new_page) -> None:
    pool = live_server.pool
    # FP-0001 in Solna speaking Arabic, FP-0002 in Upplands Väsby (same county), FP-0003 offers only jourhem.
    published_family(pool, kinds=["familjehem"], home_municipality="0184", preferences=prefs(7, 12, ["ar", "sv"]))
    published_family(pool, kinds=["familjehem"], home_municipality="0114", preferences=prefs(0, 17, ["sv"]))
    published_family(pool, kinds=["jourhem"], home_municipality="0184", preferences=prefs(0, 17, ["ar"]))
    saved = pool.register_referral(pool.authenticate("sara.solna", PASSWORD), kind="familjehem", legal_basis="SoL", decision_date="2026-09-01",
                                   child_birth_month="2016-05", needs="Behöver lugn miljö och stöd i skolan.",
                                   languages=["ar"])
    live_server.settle(saved)

    pia = new_page()
    login(pia, "pia.staff")
    pia.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Förfrågningar", exact=True).click()
    pia.get_by_role("link", name="Familjehem").first.click()
    panel = pia.locator("section.suggestions")
    expect(panel.get_by_role("heading", name="Förslag")).to_be_visible()
    first = panel.get_by_label(re.compile("^Familj FP-0001"))
    second = panel.get_by_label(re.compile("^Familj FP-0002"))
    assert "talar arabiska, samma kommun, önskar barn 7–12 år" in panel.inner_text()
    assert "samma län" in panel.inner_text()
    assert "FP-0003" not in panel.inner_text()  # does not offer the kind
    labels = panel.locator("label").all_inner_texts()
    assert labels[0].startswith("Familj FP-0001") and labels[1].startswith("Familj FP-0002")
    first.check()
    second.check()
    screenshot(pia, "staff-suggestions")
    pia.get_by_role("button", name="Föreslå valda familjer").click()
    expect(pia.get_by_text("Förslaget är skickat.")).to_be_visible()
    proposed = pia.locator("h2:has-text('Föreslagna familjer') + ul").inner_text()
    assert "FP-0001" in proposed and "FP-0002" in proposed
    assert panel.get_by_label(re.compile("^Familj FP-0001")).is_disabled()

    # The municipality sees the same ranking by catalogue code, with the reasons and nothing personal.
    sara = new_page()
    login(sara, "sara.solna")
    sara.goto(f"/forfragningar/{saved.id}")
    own = sara.locator("section.suggestions").inner_text()
    assert own.index("FP-0001") < own.index("FP-0002") and "talar arabiska" in own
    assert "Kalle" not in sara.content() and "19721212" not in sara.content()
    screenshot(sara, "municipality-suggestions")
