"""Browser tests: a live uvicorn server per test module over a fresh database, and Debian's Chromium."""

# SQLite by default (the API and integration tests cover both backends); FAMILJEPOOL_BROWSER_BACKEND=postgres
# runs the pages over a fresh PostgreSQL schema instead. Chromium is /usr/bin/chromium driven by Playwright
# for Python: nothing is downloaded. Screenshots of the pages go to var/screenshots/<name>.png.

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from pool.application import PoolApplication
from pool.sealing import MasterKey
from tests.conftest import SYSTEM, postgres_schema
from tests.factories import MEMBERS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "correct horse battery"
USERS = {  # username: (role, municipality)
    "pia.staff": ("pool_staff", None),
    "per.staff": ("pool_staff", None),  # the second consultant who reviews descriptions
    "sara.solna": ("municipality", "0184"),
    "sam.sigtuna": ("municipality", "0191"),
    "stina.steering": ("steering", None),
    "adam.admin": ("admin", None),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    app: Any

    @property
    def pool(self) -> PoolApplication:
        return self.app.state.pool

    def settle(self, saved: Any) -> None:
        """Wait until the read models show what a command (run directly in a test) wrote."""
        if saved is not None and saved.position is not None:
            self.app.state.read_models.wait_for(saved.position, timeout=5.0)


@pytest.fixture(scope="module")
def database_url_for_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("FAMILJEPOOL_BROWSER_BACKEND", "sqlite") != "postgres":
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'familjepool.db'}"
        return
    with postgres_schema("web") as url:
        yield url


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    """Extra settings of the module's server (a module overrides it, e.g. with an SMTP server's)."""
    return {}


@pytest.fixture(scope="module")
def live_server(database_url_for_pages: str, live_server_env: dict[str, str]) -> Iterator[LiveServer]:
    """The real app on a free 127.0.0.1 port with every member and a user of every role."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
        mp.setenv("FAMILJEPOOL_DATABASE_URL", database_url_for_pages)
        mp.delenv("FAMILJEPOOL_SMTP_HOST", raising=False)
        for name, value in live_server_env.items():
            mp.setenv(name, value)
        app = create_app(database_url_for_pages)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                               lifespan="on"))
        thread = threading.Thread(target=server.run, name="live-uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the live server did not start")
            time.sleep(0.05)
        live = LiveServer(url=f"http://127.0.0.1:{port}", app=app)
        for code, name in MEMBERS.items():
            live.pool.put_member(SYSTEM, code, name=name, joined_on="2020-01-01")
        for username, (role, municipality) in USERS.items():
            live.settle(live.pool.add_user(SYSTEM, username, role=role, municipality=municipality,
                                           password=PASSWORD))
        try:
            yield live
        finally:
            server.should_exit = True
            thread.join(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # as the pages' own default: a loaded 2-core machine is slow to paint

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM} (apt-get install chromium)", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A factory of pages, each in its own browser context (its own cookies: one user per context)."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height},
                                      locale="sv-SE")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, by its Swedish labels."""
    page.goto("/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot under var/screenshots/<name>.png."""
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise ValueError(f"screenshot names are lower-case words: {name!r}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
