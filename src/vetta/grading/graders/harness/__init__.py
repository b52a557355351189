"""Trusted programs copied into the sandbox next to the candidate's code.

They run under the candidate's control, so they are written to be useless to cheat through:
they only move plain data across, and every judgement happens outside the sandbox.
"""

from __future__ import annotations

from importlib import resources


def harness_file(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()
