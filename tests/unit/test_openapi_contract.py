"""The OpenAPI document as published: readable operation ids, problems for every error, security, servers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.contract import API_VERSION

PUBLIC = {("get", "/api/health"), ("get", "/api/ready"), ("post", "/api/auth/token")}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return create_app().openapi()


def operations(doc: dict[str, Any]):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_operation_ids_are_camel_case_verbs_and_unique(doc):
    ids = [o["operationId"] for _, _, o in operations(doc)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids), ids
    assert {"listCatalogue", "expressInterest", "getFamily", "login", "getHealth", "getInvoice"} <= set(ids)


def test_every_error_response_is_a_problem(doc):
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    problem = doc["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["properties"])
    seen = 0
    for path, method, operation in operations(doc):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                seen += 1
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, (path, status)
    assert seen > 100
    assert "422" in doc["paths"]["/api/auth/token"]["post"]["responses"]  # the sign-in's too


def test_pdf_is_binary_and_csv_text(doc):
    content = doc["paths"]["/api/allocations/{year}/invoices/{kommunkod}"]["get"]["responses"]["200"]["content"]
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert set(content) == {"application/pdf", "text/csv"}


def test_servers_security_and_version(doc):
    assert doc["servers"][0]["url"] == "/" and doc["info"]["version"].startswith(API_VERSION + ".")
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "The access_token of POST /api/auth/token"}
    for path, method, operation in operations(doc):
        if (method, path) in PUBLIC:
            assert operation["security"] == [], path
        else:
            assert {"bearerAuth": []} in operation["security"], path
    single = doc["paths"]["/api/families/{family_id}"]["get"]["responses"]["200"]["headers"]
    assert set(single) == {"API-Version", "ETag"}


def test_every_api_answer_names_the_api_version():
    client = TestClient(create_app())  # without `with`: no lifespan, no database (sign-in: tests/e2e)
    assert client.get("/api/openapi.json").headers["api-version"] == API_VERSION
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404 and r.headers["api-version"] == API_VERSION
    assert "api-version" not in client.get("/static/style.css").headers
