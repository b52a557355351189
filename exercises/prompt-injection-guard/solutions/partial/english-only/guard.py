"""Partial: the strong guard with its normalisation layer and its non-English lexicon switched
off (`NORMALISE = OTHER_LANGUAGES = False` in guard_signals.py). Plain English injections, in the
user's message or hidden in documents, are caught as well as by the strong guard; encoded,
obfuscated and non-English ones are not.

What follows is the strong guard's own description.

Strong reference: a layered prompt-injection guard.

1. Normalise: strip zero-width and Unicode tag characters (decoding the smuggled ASCII), NFKC
   (full-width forms), fold Cyrillic/Greek homoglyphs inside Latin words, undo leetspeak, spacing
   and punctuation inside words, and decode base64 / hex / ROT13 / reversed text into extra views.
2. Segment: the user's message is the principal and may instruct the assistant; documents are
   data and should never address it. Hidden regions of documents (HTML comments, invisible
   elements, alt text, link titles) are scanned on their own.
3. Signals: instructions that override or reveal the assistant's instructions, role-play
   jailbreaks, text addressed to an AI, directives about what to tell the user, secrecy, fake
   role tags, exfiltration through URLs, tool-call hijacks, harmful objects, in several languages.
   Quoted examples inside security material, prompt-building code and a user's corrections of
   their own messages are discounted.
4. Combine: a hand-set prior logit per segment (it covers mechanisms no sample shows) and a small
   logistic regression on the same signals, trained at import time on the public sample with a
   fixed seed, that re-weighs the signals the sample does show. An item is as suspicious as its
   most suspicious segment.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from guard_signals import FEATURES, document_features, prior_logit, user_features


def _segments(item):
    segments = [(user_features(str(item.get("user_message", "") or "")), False)]
    for doc in item.get("documents", []) or []:
        if isinstance(doc, dict):
            text = str(doc.get("text", "") or "")
            segments.append((document_features(str(doc.get("source", "") or ""), text), True))
    return segments


def _vector(features, in_document):
    # Separate columns for the user's message and for documents: the same words mean different
    # things in the two places.
    values = [features[k] for k in FEATURES]
    zeros = [0.0] * len(values)
    return (zeros + values) if in_document else (values + zeros)


def _best(item):
    scored = [(prior_logit(f, doc), f, doc) for f, doc in _segments(item)]
    return max(scored, key=lambda s: s[0])


def _train():
    path = Path("data/public_sample.jsonl")
    if not path.is_file():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    x, y = [], []
    for row in rows:
        _logit, features, doc = _best(row["input"])
        x.append(_vector(features, doc))
        y.append(int(row["label"]))
    model = LogisticRegression(C=0.3, max_iter=5000, random_state=0)
    model.fit(np.array(x), np.array(y))
    return model


_MODEL = _train()
# The prior carries the mechanisms the sample cannot show; the learned model only nudges it.
_LEARNED_SHARE = 0.3


def _score_one(item):
    logit, features, doc = _best(item)
    if _MODEL is not None:
        learned = float(_MODEL.decision_function(np.array([_vector(features, doc)]))[0])
        # The model has learned nothing about signals the sample never shows (their weights stay
        # near zero), so it may lower the prior by at most 2 log-odds, never cancel it.
        logit = (1 - _LEARNED_SHARE) * logit + _LEARNED_SHARE * max(learned, logit - 2.0)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def score(items):
    return [_score_one(item if isinstance(item, dict) else {}) for item in items]
