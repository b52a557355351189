"""Suite-wide rules.

Under CI=true a missing real part (sandbox, PostgreSQL, Redis, Chromium) fails the run instead of
skipping the tests that need it: a skipped attack test would hide a broken sandbox.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when a real part the test needs is not there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)
