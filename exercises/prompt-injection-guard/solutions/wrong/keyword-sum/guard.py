"""Wrong: a weighted English keyword list, tuned on the public sample, with separate lists for the
user's message and for retrieved documents, no normalisation and no sense of context.

It looks reasonable on the sample, but within a 1% false-positive budget it catches only about a
quarter of the hidden attacks: security material and prompt-engineering questions carry the same
keywords as attacks and outrank most of them, and encoded, obfuscated or non-English payloads
and new goals (exfiltration, tool calls) score nothing."""

import re

_OVERRIDE = (r"\b(ignore|disregard|forget|override|set aside|pay no attention to)\b[^.\n]{0,40}"
             r"\b(instructions|rules|prompt|directions|guidelines|directives)\b")
_DIRECT = [
    (5.0, _OVERRIDE),
    (5.0, r"\b(your (system )?prompt|your (initial |hidden |exact )?instructions|everything above|"
          r"words above|text above|initial instructions|hidden preamble|system message)\b"),
    (5.0, r"\b(DAN|do anything now|developer mode|no restrictions|without (any )?(restrictions|"
          r"filters)|unfiltered|jailbr\w+|stay in character|no rules|no filters)\b"),
    (2.0, r"\b(admin mode|system override|maintenance mode|authorised audit)\b"),
    (1.5, r"\b(admin password|private keys?|phishing|malware|home addresses)\b"),
]
_INDIRECT = [
    (4.0, r"\b(note to (the )?(ai|assistant)|if you are an ai|dear ai|ai assistants?|language "
          r"models?|chatgpt|copilot|claude|llm|message for the assistant|attention llm)\b"),
    (5.0, _OVERRIDE),
    (2.0, r"\b(tell the user|say that|reply (only )?with|respond with|in your (answer|reply|"
          r"response)|when you summari[sz]e|state that)\b"),
    (2.0, r"\b(do not mention|don't tell the user|keep this secret|silently|never reveal that)\b"),
    (3.0, r"^\s*(<\|im_start\|>|\[system\]|<system>|### system|\[inst\]|<<sys>>|\{\"role\": "
          r"\"system\"|-+end of (retrieved )?context|begin admin message|assistant:|user:)"),
    (1.0, r"<!--|display:\s*none|font-size:\s*[01]px|color:\s*#fff"),
    (2.0, r"\b(pwned|access granted)\b"),
]
_FLAGS = re.IGNORECASE | re.MULTILINE
_DIRECT_RX = [(w, re.compile(p, _FLAGS)) for w, p in _DIRECT]
_INDIRECT_RX = [(w, re.compile(p, _FLAGS)) for w, p in _INDIRECT]


def _score_text(text, patterns):
    # Every further hit of a phrase adds a little, so that scores rank rather than tie.
    total = 0.0
    for weight, pattern in patterns:
        hits = len(pattern.findall(text))
        if hits:
            total += weight + 0.5 * (hits - 1)
    return total


def score(items):
    out = []
    for item in items:
        parts = [_score_text(item.get("user_message", ""), _DIRECT_RX)]
        parts += [_score_text(doc.get("text", ""), _INDIRECT_RX) for doc in item.get("documents", [])]
        parts.sort(reverse=True)
        total = parts[0] + 0.25 * sum(parts[1:])
        out.append(total / (total + 5.0))
    return out
