"""Cheat: return values that are not plain numbers, hoping they compare in the cheat's favour.

NaN compares false with everything, and an object that claims to be larger than any threshold
would flag exactly what a lenient comparison wanted. Scores cross the sandbox as plain JSON
numbers, so neither survives: the grader reports the values as invalid.
"""


class _AlwaysRight(float):
    def __ge__(self, other):
        return True

    def __lt__(self, other):
        return False

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def score(items):
    return [float("nan") if n % 2 else _AlwaysRight(0.5) for n, _ in enumerate(items)]
