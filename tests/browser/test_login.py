"""Login and logout in Chromium, by the form's Swedish labels."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_login_page_signs_in_and_out(new_page) -> None:
    page = new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "sv"
    screenshot(page, "login")
    login(page, "sara.solna", "not the password")
    assert page.get_by_text("Fel användarnamn eller lösenord.").is_visible()
    login(page, "sara.solna")
    assert page.get_by_role("button", name="Logga ut").is_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "fp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]  # plain http here
    page.get_by_role("button", name="Logga ut").click()
    assert page.get_by_text("Du är utloggad.").is_visible()
    assert page.get_by_role("button", name="Logga in").is_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "fp_session"]
