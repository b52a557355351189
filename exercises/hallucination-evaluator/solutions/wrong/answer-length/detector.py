"""Wrong: long answers are hallucinated.

Invented details do make answers longer, but so do two-fact answers and abstentions, and a
changed number or a flipped negation changes no length at all.
"""


def score(items):
    return [min(1.0, len(item["answer"]) / 140) for item in items]
