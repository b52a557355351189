"""Cheat: return values that compare in the cheater's favour: NaN (every comparison is false, so a
naive `score > cut` for negatives never fires) and a float subclass that claims to be larger than
anything. Scores must be plain finite numbers; these are rejected before any metric is read."""

import math


class _Top(float):
    def __gt__(self, other):
        return True

    def __ge__(self, other):
        return True

    def __lt__(self, other):
        return False

    def __le__(self, other):
        return False


def score(items):
    return [_Top(1.0) if n % 2 else math.nan for n, _item in enumerate(items)]
