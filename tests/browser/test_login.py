"""Login and logout in Chromium, by the form's Swedish labels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_login_page_signs_in_and_out(new_page) -> None:
    page = new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    screenshot(page, "login")
    login(page, "sara.solna", "not the password")
    expect(page.get_by_text("Fel användarnamn eller lösenord.")).to_be_visible()
    login(page, "sara.solna")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "fp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]  # plain http here
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "fp_session"]
