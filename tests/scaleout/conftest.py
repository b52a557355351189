"""Fixtures of the scale-out tests: the machine's PostgreSQL, Redis and sandbox, required.

Locally a missing server or sandbox skips these tests; under CI=true it fails them
(tests.conftest.require).
"""

from __future__ import annotations

import pytest

from tests.conftest import require
from tests.scaleout.harness import PG_SERVER, REDIS_SERVER, postgres_available, redis_available
from vetta.grading.sandbox.selfcheck import CheckReport, self_check


@pytest.fixture(scope="session")
def sandbox_ready() -> CheckReport:
    report = self_check()
    details = "; ".join(f"{i.name}: {i.detail}" for i in report.problems)
    require(report.ok, f"the sandbox self-check failed here ({details})")
    return report


@pytest.fixture(scope="session")
def servers() -> None:
    """PostgreSQL and Redis on this machine, as the scale-out mode uses them."""
    require(postgres_available(), f"PostgreSQL does not answer at {PG_SERVER}")
    require(redis_available(), f"Redis does not answer at {REDIS_SERVER}")
