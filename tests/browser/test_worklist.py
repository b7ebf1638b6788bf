"""The work list in the browser against the loaded demo: a consultant lands on it, sees four kinds of
items or more, follows one to the page where it is handled, and switches to everyone's items ("Alla")."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, login, screenshot
from tests.browser.test_guide_screenshots import demo_server  # noqa: F401 - the demo-loaded server
from tests.browser.test_steering_pages import doc_shot

pytestmark = pytest.mark.browser


def test_a_consultants_work_list_from_the_demo(demo_server: tuple[LiveServer, dict[str, str]],  # noqa: F811
                                                browser: Any) -> None:
    live, passwords = demo_server
    context = browser.new_context(base_url=live.url, viewport={"width": 1000, "height": 700}, locale="sv-SE")
    page = context.new_page()
    try:
        login(page, "demo.konsulent", passwords["demo.konsulent"])
        assert page.url.endswith("/arbetslista")  # the start page after signing in
        expect(page.get_by_role("heading", name="Arbetslista")).to_be_visible()
        assert "dina kontaktkommuner" in page.locator("main").inner_text()
        rows = page.locator("tbody tr")
        kinds = set(rows.evaluate_all("rows => rows.map(r => r.dataset.kind)"))
        assert len(kinds) >= 4, kinds
        dates = rows.locator("td:first-child").all_inner_texts()
        assert dates == sorted(dates)  # oldest first
        mine = rows.count()
        screenshot(page, "worklist-mine")
        doc_shot(page, "guide-personal-arbetslista")  # docs/img/personal-arbetslista.png

        # A placement running out: its link leads to the placement's page.
        page.locator('tr[data-kind="placement_due"] a').first.click()
        page.wait_for_load_state()
        assert "/pool/placeringar/" in page.url
        page.go_back()

        page.get_by_role("link", name="Alla", exact=True).click()
        page.wait_for_load_state()
        assert page.url.endswith("/arbetslista?visa=alla")
        assert "Allas ärenden" in page.locator("main").inner_text()
        assert page.locator("tbody tr").count() > mine
        page.get_by_role("link", name="Mina", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("tbody tr").count() == mine
    finally:
        context.close()
