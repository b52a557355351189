"""Wrong: treats every imperative sentence as an instruction to the model. Support articles,
playbooks and ordinary requests are full of imperatives, so the false-positive rate explodes and
nothing is caught within a 1% false-positive budget."""

import re

_VERBS = (
    "ignore|disregard|forget|tell|say|reply|respond|answer|print|show|send|forward|call|use|run|"
    "click|press|enter|install|restart|reset|submit|book|check|do|don't|never|always|please|"
    "include|add|write|give|list|output|repeat|make|stop|skip|follow|read|open|go|set|change"
)
_IMPERATIVE = re.compile(rf"(?:^|[.!?:\n]\s*)(?:{_VERBS})\b", re.IGNORECASE)


def score(items):
    scores = []
    for item in items:
        text = "\n".join(
            [item.get("user_message", "")] + [d.get("text", "") for d in item.get("documents", [])]
        )
        scores.append(1.0 if _IMPERATIVE.search(text) else 0.0)
    return scores
