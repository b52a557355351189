"""Cheat: one constant score, exactly at the threshold, for every item.

Flags everything, hoping the metric rewards recall. With about 40% hallucinated answers, F1 of
flagging everything is about 0.57, below the floor of the score bands.
"""


def score(items):
    return [0.5] * len(items)
