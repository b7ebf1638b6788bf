"""A municipality user saves a search, a family is published: the notice appears and the e-mail arrives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from aiosmtpd.controller import Controller

from tests.browser.conftest import LiveServer, login, screenshot
from tests.conftest import SYSTEM
from tests.factories import published_family
from tests.integration.notify_support import PERSONAL, Inbox, free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def live_server_env(inbox: tuple[Inbox, int]) -> dict[str, str]:
    return {"FAMILJEPOOL_SMTP_HOST": "127.0.0.1", "FAMILJEPOOL_SMTP_PORT": str(inbox[1]),
            "FAMILJEPOOL_SMTP_STARTTLS": "0", "FAMILJEPOOL_SMTP_SENDER": "notiser@pool.example"}


def test_a_saved_search_brings_a_notice_and_an_e_mail(live_server: LiveServer, new_page, inbox) -> None:
    box, _ = inbox
    live_server.pool.set_user_email(SYSTEM, "sara.solna", email="sara@solna.example")  # the admin's part
    sara = new_page()
    login(sara, "sara.solna")
    sara.goto("/katalog")
    sara.get_by_label("Insatstyp").select_option("familjehem")
    sara.get_by_label("Barnets ålder (år)").fill("8")
    sara.get_by_role("button", name="Visa familjer").click()
    sara.get_by_role("button", name="Spara sökningen").click()
    expect(sara.get_by_text("Sökningen är sparad.", exact=False)).to_be_visible()
    expect(sara.get_by_role("link", name="Familjehem · barn 8 år")).to_be_visible()
    screenshot(sara, "municipality-saved-searches")

    published_family(live_server.pool)  # pool staff publish a family that matches
    assert box.wait_for(1, timeout=20)
    sara.goto("/katalog")
    assert sara.locator("#unread-count").inner_text() == "1"
    sara.get_by_role("link", name="Notiser").first.click()
    notice = sara.get_by_role("link", name="Ny familj i katalogen matchar din bevakning: FP-0001.")
    assert notice.is_visible()
    screenshot(sara, "municipality-notices")
    sara.get_by_role("button", name="Markera alla som lästa").click()
    assert sara.locator("#unread-count").count() == 0
    notice.click()
    assert "/katalog/" in sara.url  # the family's card

    message = box.messages[0]
    assert box.recipients[0] == ["sara@solna.example"]
    text = message["Subject"] + message.get_payload()
    assert "FP-0001" in text and "/katalog/" in text
    for value in PERSONAL:
        assert value not in text, value

