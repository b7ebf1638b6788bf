"""Screenshots for docs/user-guide.md: one demo-loaded server, each role's main pages at 1000 px width."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from demo.loader import load_demo
from pool.sealing import MasterKey
from tests.browser.conftest import LiveServer, free_port, login
from tests.browser.test_steering_pages import doc_shot

pytestmark = pytest.mark.browser
# (demo user, path, screenshot name, id of the element to scroll to or None)
SHOTS = [
    ("demo.solna", "/katalog", "guide-kommun-katalog", None),
    ("demo.solna", "/forfragningar", "guide-kommun-forfragningar", None),
    ("demo.solna", "/bevakningar", "guide-kommun-bevakningar", None),
    ("demo.solna", "/notiser", "guide-kommun-notiser", None),
    ("demo.konsulent", "/pool", "guide-personal-register", None),
    ("demo.konsulent", "/pool/intressen", "guide-personal-intressen", None),
    ("demo.styrgrupp", "/styrgrupp/kostnadsfordelning", "guide-styrgrupp-kostnadsfordelning", "fordelning"),
    ("demo.styrgrupp", "/styrgrupp/statistik", "guide-styrgrupp-statistik", "tillgang"),
    ("demo.styrgrupp", "/styrgrupp/ej-verkstallda", "guide-styrgrupp-ej-verkstallda", None),
    ("demo.admin", "/admin/medlemmar", "guide-admin-medlemmar", None),
    ("demo.admin", "/admin/befolkning/import", "guide-admin-import", None),
    ("demo.admin", "/admin/anvandare", "guide-admin-anvandare", None),
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """The app over a database holding only the demo (the shared live_server adds its own users)."""
    database = tmp_path_factory.mktemp("guide") / "familjepool.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
        app = create_app(f"sqlite:///{database}")
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
        thread = threading.Thread(target=server.run, name="guide-uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the guide's server did not start")
            time.sleep(0.05)
        live = LiveServer(url=f"http://127.0.0.1:{server.config.port}", app=app)
        result = load_demo(live.pool)
        app.state.read_models.wait_for(result.position, timeout=30.0)
        try:
            yield live, {u.username: u.password for u in result.users}
        finally:
            server.should_exit = True
            thread.join(timeout=30)


def test_screenshots_for_the_user_guide(demo_server: tuple[LiveServer, dict[str, str]], browser: Any) -> None:
    live, passwords = demo_server
    pages: dict[str, Any] = {}
    try:
        for username, path, name, anchor in SHOTS:
            if username not in pages:
                context = browser.new_context(base_url=live.url, viewport={"width": 1000, "height": 700},
                                              locale="sv-SE")
                pages[username] = context.new_page()
                login(pages[username], username, passwords[username])
            page = pages[username]
            response = page.goto(path)
            assert response.status == 200, path
            if anchor:
                page.evaluate(f"window.scrollTo(0, document.getElementById('{anchor}').offsetTop)")
            doc_shot(page, name)
    finally:
        for page in pages.values():
            page.context.close()
