"""The candidate notice (GOVERNANCE G5): what is assessed and how, who sees the results, how long
data is kept, and how to ask for an alternative process or an accommodation. Shown, and
acknowledged, before anything is scored; its digest is recorded with the acknowledgement."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from vetta.assessments.models import Attempt
from vetta.catalog.domain import AssessmentMethod

_GRADER_HOW = {
    "unit_tests": "hidden tests call your functions; results are compared automatically",
    "hidden_set_metric": (
        "your pipeline trains on the given data and is scored on a hidden test set"
    ),
    "http_conformance": "a test client checks your service against its API specification",
    "labelled_corpus": "your detector is scored on a hidden labelled set",
}


@dataclass(frozen=True)
class NoticeExercise:
    title: str
    method: str
    skill_areas: tuple[str, ...]
    minutes: int
    how: str
    human_parts: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    organisation: str
    role: str
    exercises: tuple[NoticeExercise, ...]
    total_minutes: int
    viewers: str
    retention_days: int
    contact_email: str
    version: str  # SHA-256 of everything above: what exactly was acknowledged


def notice_for(attempt: Attempt) -> Notice:
    plan = attempt.plan
    organisation = plan.organisation
    exercises = tuple(
        NoticeExercise(
            title=item.exercise.title,
            method=AssessmentMethod(item.exercise.method).label,
            skill_areas=tuple(sorted(item.exercise.skill_areas)),
            minutes=item.exercise.time_limit_minutes,
            how=_GRADER_HOW.get(item.exercise.grader_kind, "graded automatically"),
            human_parts=tuple(item.exercise.rubric_parts),
        )
        for item in attempt.items.select_related("exercise")
    )
    minutes = round(sum(e.minutes for e in exercises) * attempt.time_multiplier)
    viewers = (
        f"The hiring team of {organisation.name} (its owners, hiring managers and interviewers) "
        "sees your results. Automated scores are evidence for people; a named person makes "
        "every decision, and nothing is rejected automatically."
    )
    body = {
        "organisation": organisation.name,
        "role": plan.role_profile.name,
        "exercises": [e.__dict__ for e in exercises],
        "minutes": minutes,
        "viewers": viewers,
        "retention_days": organisation.retention_days,
        "contact": organisation.contact_email,
    }
    version = hashlib.sha256(json.dumps(body, sort_keys=True, default=list).encode()).hexdigest()
    return Notice(
        organisation=organisation.name,
        role=plan.role_profile.name,
        exercises=exercises,
        total_minutes=minutes,
        viewers=viewers,
        retention_days=organisation.retention_days,
        contact_email=organisation.contact_email,
        version=version,
    )
