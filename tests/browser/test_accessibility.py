"""Every input labelled, keyboard use, and the pages at 360 px wide (no sideways scrolling)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.conftest import STAFF
from tests.factories import approved_family, published_family, referral_data

pytestmark = pytest.mark.browser

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length))
  .filter(el => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id)"""


@pytest.fixture(scope="module")
def records(live_server: LiveServer) -> dict[str, str]:
    pool = live_server.pool
    sara = pool.authenticate("sara.solna", PASSWORD)
    published = published_family(pool)
    approved = approved_family(pool)
    referral = pool.register_referral(sara, **referral_data())
    saved = pool.express_interest(sara, published, referral_id=referral.id, message="Vi är intresserade.")
    live_server.settle(saved)
    course = pool.schedule_course(STAFF, course="ett-hem-att-vaxa-i", held_on=date.today(), place="Kommunhuset, Täby")
    live_server.settle(pool.record_attendance(STAFF, course.id, family_id=approved))
    return {"published": str(published), "approved": str(approved), "referral": str(referral.id),
            "course": str(course.id)}


def pages(records: dict[str, str]) -> dict[str, list[str]]:
    return {
        "sara.solna": ["/katalog", f"/katalog/{records['published']}", "/forfragningar", "/forfragningar/ny",
                       f"/forfragningar/{records['referral']}", "/intressen", "/placeringar", "/bevakningar", "/notiser"],
        "pia.staff": ["/pool", "/pool/familjer/ny", f"/pool/familjer/{records['approved']}",
                      f"/pool/familjer/{records['published']}", "/pool/intressen", "/pool/forfragningar",
                      f"/pool/forfragningar/{records['referral']}", "/pool/placeringar", "/notiser",
                      "/pool/kurser", f"/pool/kurser/{records['course']}"],
    }


@pytest.mark.parametrize("username", ["sara.solna", "pia.staff"])
def test_inputs_are_labelled_and_pages_fit_a_narrow_screen(new_page, records: dict[str, str], username: str) -> None:
    page = new_page(width=360, height=740)
    login(page, username)
    for path in pages(records)[username]:
        assert page.goto(path).status == 200, path
        assert page.evaluate(UNLABELLED) == [], path
        assert page.locator("h1").count() == 1, path
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360 px"
    screenshot(page, f"narrow-{username.split('.')[1]}")


def test_keyboard_only_sign_in_and_skip_link(new_page) -> None:
    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.locator("#f-username").focus()
    page.keyboard.type("sara.solna")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/katalog")
    # The menu is reachable by Tab and each entry shows a focus ring.
    for _ in range(3):
        page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
