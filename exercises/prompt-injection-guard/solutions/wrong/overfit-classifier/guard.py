"""Wrong: a line-level text classifier trained on the public sample at import time.

Lines of the sample's attacks whose shape (numbers and capitalised names masked) never occurs in
its benign items are taken as the injected text; a TF-IDF + logistic-regression model learns
them, and an item scores as its most suspicious line.

It scores almost perfectly on the sample it was trained on and catches about 5% of the hidden
attacks within a 1% false-positive budget: ordinary hidden documents with unseen words score as
high as attacks, and held-out families, other languages and encodings look like nothing it has
seen. In-distribution scores overstate quality.
"""

import json
import re
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression


def _lines(item):
    lines = [item.get("user_message", "")]
    for doc in item.get("documents", []):
        lines += doc.get("text", "").split("\n")
    return [line.strip() for line in lines if len(line.strip()) > 3]


def _shape(line):
    return re.sub(r"\b[A-Z][a-z]+\b|[\d,.$€£#%-]+", "_", line)


def _train():
    rows = [json.loads(line) for line in Path("data/public_sample.jsonl").read_text().splitlines()]
    benign = {_shape(line) for r in rows if not r["label"] for line in _lines(r["input"])}
    texts, labels = [], []
    for r in rows:
        for line in _lines(r["input"]):
            texts.append(line)
            labels.append(int(r["label"] == 1 and _shape(line) not in benign))
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    model = LogisticRegression(C=20.0, max_iter=3000, random_state=0, class_weight="balanced")
    model.fit(vectorizer.fit_transform(texts), labels)
    return vectorizer, model


_VECTORIZER, _MODEL = _train()


def score(items):
    out = []
    for item in items:
        lines = _lines(item) or [""]
        probabilities = _MODEL.predict_proba(_VECTORIZER.transform(lines))[:, 1]
        out.append(float(probabilities.max()))
    return out
