"""Property-based fuzzing of the live OpenAPI document (schemathesis, in-process over ASGI).

Every operation gets a bounded number of generated requests, as an admin and as pool staff: no
response may be a 500, and every response must match the documented status codes, media types
and schemas.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.test_api_support import Api, api  # noqa: F401

MAX_EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("who", ["admin", "pool_staff"])
def test_no_500_and_responses_match_the_schema(api: Api, who: str) -> None:
    # The schema comes from the live app; the calls go through the test client, so the app (and its
    # projections) run once for the whole test rather than once per generated request.
    schema = schemathesis.openapi.from_dict(api.client.get("/api/openapi.json").json())
    headers = api.headers(who)
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        if operation.path in ("/api/auth/token", "/api/auth/logout"):
            continue  # failed sign-ins would lock, a logout would end the session; both have their own tests

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            kwargs = case.as_transport_kwargs(base_url="http://testserver", headers=headers)
            kwargs.pop("timeout", None)
            kwargs.pop("verify", None)
            kwargs.pop("allow_redirects", None)
            if not kwargs.get("cookies"):
                kwargs.pop("cookies", None)
            response = api.client.request(**kwargs)
            case.validate_response(response, checks=CHECKS)

        check()
    assert time.monotonic() - started < 120
