"""Cheat: bet that the hidden corpus is stored attacks first, and score items by their position.
The corpus is shuffled per variant, so position says nothing."""

_SEEN = [0]


def score(items):
    out = []
    for _item in items:
        out.append(1.0 / (1 + _SEEN[0]))
        _SEEN[0] += 1
    return out
