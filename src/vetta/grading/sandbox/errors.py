"""Errors of the sandbox layer."""

from __future__ import annotations


class SandboxError(RuntimeError):
    """The sandbox could not do its job: the platform's fault, never the candidate's.

    `run` turns this into an `Outcome` with verdict `sandbox_error`; `spawn`, `self_check` and the
    setup code raise it, with a message that says what is missing and how to fix it.
    """


class ConfigError(SandboxError):
    """A `VETTA_SANDBOX_*` variable has a value we cannot use."""
