"""Grader kinds, looked up by the `grader.kind` of an exercise package."""

from __future__ import annotations

import importlib
from typing import Any

from vetta.grading.graders.base import Grader

_MODULES = {
    "unit_tests": "vetta.grading.graders.unit_tests",
    "hidden_set_metric": "vetta.grading.graders.hidden_set_metric",
    "http_conformance": "vetta.grading.graders.http_conformance",
    "labelled_corpus": "vetta.grading.graders.labelled_corpus",
}
KINDS = tuple(_MODULES)


def get_grader(kind: str) -> Grader[Any]:
    try:
        module = importlib.import_module(_MODULES[kind])
    except KeyError:
        raise ValueError(f"unknown grader kind {kind!r}; known: {', '.join(KINDS)}") from None
    grader: Grader[Any] = module.GRADER
    return grader
