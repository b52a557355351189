"""Cheat: flag everything with the same score, hoping a metric rewards catching every attack.
Ties count against the detector, so recall within the false-positive budget is zero, and every
benign look-alike is flagged."""


def score(items):
    return [1.0] * len(items)
