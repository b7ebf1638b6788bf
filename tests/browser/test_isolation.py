"""A municipality user reaches neither another member's records (404) nor any staff page (403)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, LiveServer, login, screenshot
from tests.factories import published_family, referral_data

pytestmark = pytest.mark.browser

STAFF_PAGES = ["/pool", "/pool/familjer/ny", "/pool/intressen", "/pool/forfragningar", "/pool/placeringar"]


@pytest.fixture(scope="module")
def solna_records(live_server: LiveServer) -> dict[str, str]:
    """Solna's referral, interest (brokered) and placement, made by command."""
    pool = live_server.pool
    sara = pool.authenticate("sara.solna", PASSWORD)
    staff = pool.authenticate("pia.staff", PASSWORD)
    family_id = published_family(pool)
    referral_id = pool.register_referral(sara, **referral_data()).id
    interest_id = pool.express_interest(sara, family_id, referral_id=referral_id, message="Vi är intresserade.").id
    pool.broker_interest(staff, interest_id)
    saved = pool.start_placement(staff, family_id=family_id, municipality="0184", kind="familjehem",
                                 referral_id=referral_id, start_date=date.today(), planned_end_date="2027-10-01",
                                 child_birth_month="2016-05")
    live_server.settle(saved)
    return {"family": str(family_id), "referral": str(referral_id), "interest": str(interest_id),
            "placement": str(saved.id)}


def test_another_members_records_are_not_found(new_page, solna_records: dict[str, str]) -> None:
    sam = new_page()
    login(sam, "sam.sigtuna")
    for path in [f"/forfragningar/{solna_records['referral']}", f"/intressen/{solna_records['interest']}"]:
        response = sam.goto(path)
        assert response.status == 404, path
        expect(sam.get_by_role("heading", name="Sidan hittades inte")).to_be_visible()
        assert "Kalle" not in sam.content() and "Behöver lugn" not in sam.content()
    screenshot(sam, "municipality-not-found")
    # Nor can it act on them: the forms' targets answer 404 too (with a valid CSRF token).
    sam.goto("/forfragningar")
    token = sam.locator("input[name=csrf_token]").first.get_attribute("value")
    for path in [f"/forfragningar/{solna_records['referral']}/aterkalla",
                 f"/intressen/{solna_records['interest']}/aterkalla"]:
        response = sam.request.post(path, form={"csrf_token": token})
        assert response.status == 404, path
    # The lists hold only its own (none); the family's identity never shows.
    for path in ["/forfragningar", "/intressen", "/placeringar"]:
        sam.goto(path)
        assert sam.locator("tbody tr").count() == 0, path
    assert sam.goto(f"/katalog/{solna_records['family']}").status == 200  # the anonymous card is for everyone
    assert "Kalle" not in sam.content() and "070-555" not in sam.content()


def test_staff_pages_are_forbidden_for_a_municipality(new_page, solna_records: dict[str, str]) -> None:
    sara = new_page()
    login(sara, "sara.solna")
    paths = STAFF_PAGES + [f"/pool/familjer/{solna_records['family']}",
                           f"/pool/forfragningar/{solna_records['referral']}",
                           f"/pool/placeringar/{solna_records['placement']}"]
    for path in paths:
        response = sara.goto(path)
        assert response.status == 403, path
        expect(sara.get_by_role("heading", name="Ingen behörighet")).to_be_visible()
        assert "19721212" not in sara.content()
    screenshot(sara, "municipality-forbidden")
    token = sara.locator("input[name=csrf_token]").first.get_attribute("value")
    response = sara.request.post(f"/pool/intressen/{solna_records['interest']}/formedla", form={"csrf_token": token})
    assert response.status == 403


def test_signed_out_visitors_are_sent_to_the_login_page(new_page, solna_records: dict[str, str]) -> None:
    page = new_page()
    for path in ["/katalog", "/forfragningar", "/pool", f"/pool/familjer/{solna_records['family']}"]:
        page.goto(path)
        assert page.url.endswith("/"), path
        expect(page.get_by_role("button", name="Logga in")).to_be_visible()
