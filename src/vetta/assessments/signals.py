"""Domain signals other apps listen to (webhooks), so assessments need not import them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after commit when every exercise of a finished attempt has a graded latest submission.
# Keyword argument: attempt.
attempt_graded = Signal()
