"""Shared set-up of the HTTP API tests: the real app over a fresh database, users and their tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import SessionService
from pool.application import PoolApplication
from pool.sealing import MasterKey
from tests.conftest import SYSTEM
from tests.factories import MEMBERS, family_data, referral_data

PASSWORD = "correct horse battery"
USERS = {  # username: (role, municipality)
    "pia.staff": ("pool_staff", None),
    "per.staff": ("pool_staff", None),  # the second consultant who reviews descriptions
    "sara.solna": ("municipality", "0184"),
    "sam.sigtuna": ("municipality", "0191"),
    "stina.steering": ("steering", None),
    "adam.admin": ("admin", None),
}
ROLE_USER = {"pool_staff": "pia.staff", "second_staff": "per.staff", "municipality": "sara.solna", "other_municipality": "sam.sigtuna",
             "steering": "stina.steering", "admin": "adam.admin"}


@dataclass
class Api:
    client: TestClient
    pool: PoolApplication
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str | None, **extra: str) -> dict[str, str]:
        """Headers for a role name (see ROLE_USER) or a username; None: anonymous."""
        h = dict(extra)
        if who is not None:
            h["Authorization"] = f"Bearer {self.tokens[ROLE_USER.get(who, who)]}"
        return h

    def call(self, method: str, path: str, who: str | None, json: Any = None, **kw: Any):
        headers = self.headers(who, **kw.pop("headers", {}))
        return self.client.request(method, path, headers=headers, json=json, **kw)


def problem(response) -> dict[str, Any]:
    """Assert the response is RFC 9457 problem+json and return it."""
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= body.keys(), body
    assert body["status"] == response.status_code
    return body


def start_api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
    with TestClient(create_app(database_url), raise_server_exceptions=False) as client:
        pool: PoolApplication = client.app.state.pool  # type: ignore[attr-defined]
        for code, name in MEMBERS.items():
            pool.put_member(SYSTEM, code, name=name, joined_on="2020-01-01")
        api = Api(client, pool)
        service = SessionService(pool)
        for username, (role, municipality) in USERS.items():
            pool.add_user(SYSTEM, username, role=role, municipality=municipality, password=PASSWORD)
            api.tokens[username] = service.issue(pool.authenticate(username, PASSWORD))
        state = client.app.state  # type: ignore[attr-defined]
        own_read_models = None
        if getattr(state, "read_models", None) is None:  # until the lifespan opens them itself
            from projections.bootstrap import open_read_models

            state.read_models = own_read_models = open_read_models(pool, run_projections=True)
        try:
            yield api
        finally:
            if own_read_models is not None:
                own_read_models.close()
                state.read_models = None


@pytest.fixture
def api(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    yield from start_api(database_url, monkeypatch)


ALL_STEPS = ["police_register", "social_register", "reference_1", "reference_2", "interview", "home_visit"]


def http_published_family(api: Api, description: str = "Aktiv familj med hund, nära skog och sjö.",
                          **overrides: Any) -> str:
    r = api.call("POST", "/api/families", "pool_staff", json=family_data(**overrides))
    assert r.status_code == 201, r.text
    family_id = r.json()["id"]
    for step in ALL_STEPS:
        r = api.call("POST", f"/api/families/{family_id}/investigation", "pool_staff",
                     json={"step": step, "outcome": "clear", "note": "ok"})
        assert r.status_code == 200, r.text
    assert api.call("POST", f"/api/families/{family_id}/approve", "pool_staff").status_code == 200
    http_reviewed_description(api, family_id, description)
    r = api.call("POST", f"/api/families/{family_id}/publish", "pool_staff")
    assert r.status_code == 200, r.text
    return family_id


def http_reviewed_description(api: Api, family_id: str, description: str) -> None:
    """Pia writes the description, Per reviews it ("granskad av"): ready to publish."""
    r = api.call("PUT", f"/api/families/{family_id}/description", "pool_staff", json={"description": description})
    assert r.status_code == 200, r.text
    r = api.call("POST", f"/api/families/{family_id}/description/review", "second_staff")
    assert r.status_code == 200, r.text


def http_referral(api: Api, who: str = "municipality", **overrides: Any) -> str:
    r = api.call("POST", "/api/referrals", who, json=referral_data(**overrides))
    assert r.status_code == 201, r.text
    return r.json()["id"]
