"""Wrong: the score points the wrong way.

Measures how much of the answer the context supports and returns that, so the best-supported
answers are the ones flagged: a detector whose direction was never checked against the labels.
"""

import re

STOPWORDS = set("a an the and or of to in on at for from by with as is are was were be been has "
                "have had it its this that not no yes".split())


def _words(text):
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


def score(items):
    out = []
    for item in items:
        words = _words(item["answer"])
        context = _words(item["context"])
        out.append(len(words & context) / max(len(words), 1))
    return out
