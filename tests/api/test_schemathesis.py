"""schemathesis against the served OpenAPI document: generated requests, valid and invalid,
authenticated with a real token, never get a 5xx.

Each operation is fuzzed in both of schemathesis' modes (positive: fits the schema; negative:
breaks it) with a bounded number of examples, derandomised so a CI failure reproduces. Every
other example swaps in ids of real objects (the plan, an attempt graded with hidden tests, its
invitation), so the code behind a 200 is fuzzed too, not only the 404 path of random UUIDs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from tests.api.conftest import World, graded_attempt
from tests.api.test_openapi import ENDPOINTS
from vetta.config.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# 8 operations, 2 modes, 50 examples each: 800 requests, about 25 s on the 2-core machine. Fewer
# missed a deliberately unbounded `offset` (a 500 on SQLite) when we checked that it can fail.
EXAMPLES = 50


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """The WSGI app runs in this thread, inside the test's transaction: keep Django from closing
    the connection at the end of each request (in a transaction, on PostgreSQL, it would), as
    Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("in_process_wsgi")
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), sorted(ENDPOINTS))
def test_no_generated_request_gets_a_server_error(
    world: World, token: str, method: str, path: str, mode: GenerationMode
) -> None:
    attempt = graded_attempt(world)
    real = {
        "plan_id": str(world.plan.public_id),
        "attempt_id": str(attempt.public_id),
        "invitation_id": str(attempt.invitation.public_id),
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operation = schema[path][method.upper()]
    alternate = itertools.cycle([False, True])
    calls: list[int] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        if next(alternate):
            for name in set(real) & set(case.path_parameters or {}):
                case.path_parameters[name] = real[name]
            if isinstance(case.body, dict) and "plan_id" in case.body:
                case.body["plan_id"] = real["plan_id"]
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        calls.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    fuzz()
    assert calls, "schemathesis generated no request"
    assert all(code < 500 for code in calls)
