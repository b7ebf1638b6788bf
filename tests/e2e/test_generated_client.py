"""A client generated from the app's OpenAPI document (openapi-python-client) drives a journey over real HTTP."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import uvicorn

from api.app import create_app
from api.contract import API_VERSION
from pool.sealing import MasterKey
from tests.browser.conftest import PASSWORD, USERS, free_port
from tests.conftest import SYSTEM
from tests.factories import MEMBERS, family_data, referral_data
from tests.integration.test_api_support import ALL_STEPS

PACKAGE = "familjepool_client"


@pytest.fixture(scope="module")
def client_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """Generate the client into a temporary directory and import it."""
    root = tmp_path_factory.mktemp("generated-client")
    (root / "openapi.json").write_text(json.dumps(create_app().openapi()))
    (root / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    cli = Path(sys.executable).with_name("openapi-python-client")
    done = subprocess.run([str(cli), "generate", "--path", "openapi.json", "--config", "config.yaml",
                           "--meta", "none", "--output-path", PACKAGE], cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr  # every operation understood
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def live_url(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real app under uvicorn on a free port, with the members and a user of every role."""
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    app = create_app(database_url)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="client-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    pool = app.state.pool
    for code, name in MEMBERS.items():
        pool.put_member(SYSTEM, code, name=name, joined_on="2020-01-01")
    for username, (role, municipality) in USERS.items():
        saved = pool.add_user(SYSTEM, username, role=role, municipality=municipality, password=PASSWORD)
    app.state.read_models.wait_for(saved.position, timeout=10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def op(package: ModuleType, tag: str, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


def sign_in(package: ModuleType, url: str, username: str) -> Any:
    models = importlib.import_module(f"{package.__name__}.models")
    anonymous = package.Client(base_url=url)
    r = op(package, "auth", "login").sync_detailed(
        client=anonymous, body=models.BodyLogin(username=username, password=PASSWORD))
    assert r.status_code == 200 and r.headers["api-version"] == API_VERSION
    assert op(package, "health", "get_health").sync_detailed(client=anonymous).status_code == 200
    return package.AuthenticatedClient(base_url=url, token=r.parsed.access_token)


def test_generated_client_journey(client_package: ModuleType, live_url: str) -> None:
    pkg = client_package
    models = importlib.import_module(f"{pkg.__name__}.models")
    staff = sign_in(pkg, live_url, "pia.staff")
    # A wrong password is a problem document, typed as the Problem model.
    r = op(pkg, "auth", "login").sync_detailed(client=pkg.Client(base_url=live_url),
                                                body=models.BodyLogin(username="pia.staff", password="fel"))
    assert r.status_code == 401 and isinstance(r.parsed, models.Problem) and r.parsed.status == 401
    assert r.headers["api-version"] == API_VERSION

    # Create: an applicant, investigated, approved, published; each write conditional on the ETag just read.
    created = op(pkg, "families", "apply_family").sync(client=staff, body=models.FamilyCreate.from_dict(family_data()))
    family_id = created.id
    for step in ALL_STEPS:
        read = op(pkg, "families", "get_family").sync_detailed(family_id, client=staff)
        assert read.status_code == 200 and read.headers["etag"] == f'"{read.parsed.version}"'
        body = models.InvestigationStepCreate.from_dict({"step": step, "outcome": "clear", "note": "ok"})
        r = op(pkg, "families", "record_investigation_step").sync_detailed(
            family_id, client=staff, body=body, if_match=read.headers["etag"])
        assert r.status_code == 200 and r.parsed.version == read.parsed.version + 1
    stale = read.headers["etag"]
    # The generated client sends an optional body only when given one (an empty ApproveCreate: today).
    approve = models.ApproveCreate.from_dict({})
    r = op(pkg, "families", "approve_family").sync_detailed(family_id, client=staff, body=approve, if_match=stale)
    assert r.status_code == 412 and isinstance(r.parsed, models.Problem)
    r = op(pkg, "families", "approve_family").sync_detailed(family_id, client=staff, body=approve, if_match="*")
    assert r.status_code == 200
    described = models.DescriptionPut(description="Aktiv familj med hund, nära skog och sjö.")
    assert op(pkg, "families", "set_description").sync_detailed(
        family_id, client=staff, body=described).status_code == 200
    r = op(pkg, "families", "review_description").sync_detailed(family_id, client=staff)
    assert r.status_code == 409 and r.parsed.code == "family.description_review_by_author"
    second = sign_in(pkg, live_url, "per.staff")
    assert op(pkg, "families", "review_description").sync_detailed(family_id, client=second).status_code == 200
    publish = models.PublishCreate.from_dict({})  # no text: the reviewed one (an optional body, as approve)
    assert op(pkg, "families", "publish_family").sync_detailed(family_id, client=staff, body=publish).status_code == 200

    # Browse and read back as a municipality, then express interest for a referral.
    solna = sign_in(pkg, live_url, "sara.solna")
    page = op(pkg, "catalogue", "list_catalogue").sync(client=solna, kind=models.Kind("familjehem"))
    assert [item.id for item in page.items] == [family_id]
    item = op(pkg, "catalogue", "get_catalogue_item").sync_detailed(family_id, client=solna)
    assert item.status_code == 200 and item.parsed.description.startswith("Aktiv familj")
    referral = op(pkg, "referrals", "register_referral").sync(
        client=solna, body=models.ReferralCreate.from_dict(referral_data()))
    interest = op(pkg, "catalogue", "express_interest").sync_detailed(
        family_id, client=solna, body=models.InterestCreate.from_dict({"referral_id": str(referral.id)}))
    assert interest.status_code == 201
    queue = op(pkg, "interests", "list_interests").sync(client=solna)
    assert [i.id for i in queue.items] == [interest.parsed.id]
    # Another municipality's referral is a 404 problem.
    sigtuna = sign_in(pkg, live_url, "sam.sigtuna")
    r = op(pkg, "referrals", "get_referral").sync_detailed(referral.id, client=sigtuna)
    assert r.status_code == 404 and r.parsed.status == 404
