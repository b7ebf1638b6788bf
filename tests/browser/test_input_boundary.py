"""A NUL typed into a web form on PostgreSQL: refused in Swedish, nothing written, the catalogue still current."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser.conftest import LiveServer, login
from tests.conftest import STAFF, postgres_schema
from tests.factories import published_family

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture(scope="module")
def database_url_for_pages() -> Iterator[str]:
    """This module always runs on PostgreSQL: a NUL in an event once stalled its catalogue there."""
    with postgres_schema("web_nul") as url:
        yield url


def test_a_nul_in_the_application_form_is_refused_and_the_catalogue_stays_current(
        live_server: LiveServer, new_page) -> None:
    assert live_server.pool.storage.backend == "postgres"
    pia = new_page()
    login(pia, "pia.staff")
    pia.goto("/pool/familjer/ny")
    pia.get_by_label("Familjehem").check()
    pia.get_by_label(re.compile("^Hemkommun")).select_option("0184")
    pia.get_by_role("group", name="Vuxen 1").get_by_label(re.compile("^Namn")).fill("Maja Provsson")
    pia.get_by_role("group", name="Vuxen 1").get_by_label(re.compile("^Personnummer")).fill("19721212-1219")
    pia.get_by_label(re.compile("^Adress")).fill("Testvägen 3")
    pia.get_by_label(re.compile("^Postnummer")).fill("17000")
    pia.get_by_label(re.compile("^Ort")).fill("Sol\x00na")
    assert pia.get_by_label(re.compile("^Ort")).input_value() == "Sol\x00na"  # the browser keeps and sends it
    pia.get_by_label(re.compile("^Telefon")).fill("070-111 22 33")
    pia.get_by_label("Språk").select_option(["sv", "ar"])
    # Counted after signing in: the login itself may create the deployment's signing key.
    events = live_server.pool.recorder.max_notification_id()
    keys = len(live_server.pool.sealer.keystore.rows("", 1_000_000))
    with pia.expect_response(lambda r: r.request.method == "POST") as posted:
        pia.get_by_role("button", name="Registrera ansökan").click()
    assert posted.value.status == 422
    assert "otillåtet tecken" in pia.locator("#err-city").inner_text()
    assert live_server.pool.recorder.max_notification_id() == events
    assert len(live_server.pool.sealer.keystore.rows("", 1_000_000)) == keys

    # The catalogue is still current: a family published now is on the municipality's catalogue page.
    family_id = published_family(live_server.pool, description="Familj med trädgård.",
                                 preferences={"languages": ["sv", "ar"]})
    live_server.settle(live_server.pool.publish_family(STAFF, family_id))  # again: a position to wait for
    sara = new_page()
    login(sara, "sara.solna")
    sara.goto("/katalog?language=ar")
    card = sara.locator(f'a[href="/katalog/{family_id}"]')
    assert card.count() == 1
    assert "arabiska, svenska" in sara.locator("article.family-card").first.inner_text()
