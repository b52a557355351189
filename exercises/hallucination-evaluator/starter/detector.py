"""Hallucination evaluator: scores how likely each answer is unsupported by its context.

See the statement for the definition of "unsupported", the interface and how it is graded.
"""

from __future__ import annotations


def score(items: list[dict]) -> list[float]:
    """One score per item, in order; higher means more likely unsupported; >= 0.5 flags.

    Each item is {"question": str, "context": str, "answer": str}.
    """
    raise NotImplementedError
