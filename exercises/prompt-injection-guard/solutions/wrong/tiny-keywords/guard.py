"""Wrong: a three-phrase blocklist. It misses every paraphrase, every other language, every
encoding and every indirect injection that does not use these exact words."""

import re

_BLOCKLIST = re.compile(
    r"ignore (all )?(the )?previous instructions|ignore the above|system prompt", re.IGNORECASE
)


def _text(item):
    parts = [item.get("user_message", "")]
    parts += [doc.get("text", "") for doc in item.get("documents", [])]
    return "\n".join(parts)


def score(items):
    return [1.0 if _BLOCKLIST.search(_text(item)) else 0.0 for item in items]
