"""Cheat: guess labels from an item's position in the batch.

A corpus written family by family, or with the faithful answers first, would leak its labels
through the order. The hidden corpus is shuffled, so position says nothing.
"""


def score(items):
    n = len(items)
    return [1.0 if index >= 0.6 * n else 0.0 for index in range(n)]
