"""Domain objects → response schemas. Reads only what the selectors already loaded or a
selector returns; no rules here."""

from __future__ import annotations

import math
from typing import Any

from vetta.api import schemas as s
from vetta.assessments.models import AssessmentPlan, Attempt, BankExercise, Candidate, Invitation
from vetta.assessments.selectors import AttemptResults, ItemResult, item_result


def exercise_ref(exercise: BankExercise) -> s.ExerciseRefOut:
    return s.ExerciseRefOut(slug=exercise.slug, version=exercise.version, title=exercise.title)


def plan_out(plan: AssessmentPlan) -> s.PlanOut:
    items = list(plan.items.all())
    return s.PlanOut(
        id=plan.public_id,
        name=plan.name,
        role_profile=s.RoleProfileOut(
            id=plan.role_profile.pk,
            name=plan.role_profile.name,
            role_context=plan.role_profile.role_context,
        ),
        time_budget_minutes=plan.time_budget_minutes,
        total_minutes=sum(i.exercise.time_limit_minutes for i in items),
        items=[
            s.PlanItemOut(
                position=i.position,
                weight=i.weight,
                exercise=s.ExerciseOut(
                    slug=i.exercise.slug,
                    version=i.exercise.version,
                    title=i.exercise.title,
                    method=i.exercise.method,
                    time_limit_minutes=i.exercise.time_limit_minutes,
                    skill_areas={k: float(v) for k, v in i.exercise.skill_areas.items()},
                ),
            )
            for i in items
        ],
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def candidate_out(candidate: Candidate) -> s.CandidateOut:
    return s.CandidateOut(id=candidate.public_id, email=candidate.email, name=candidate.name)


def _attempt_id(invitation: Invitation) -> Any:
    attempt = getattr(invitation, "attempt", None)
    return attempt.public_id if attempt is not None else None


def invitation_fields(invitation: Invitation) -> dict[str, Any]:
    return {
        "id": invitation.public_id,
        "plan_id": invitation.plan.public_id,
        "candidate": candidate_out(invitation.candidate),
        "status": invitation.status,
        "expires_at": invitation.expires_at,
        "created_at": invitation.created_at,
        "used_at": invitation.used_at,
        "revoked_at": invitation.revoked_at,
        "email_sent_at": invitation.email_sent_at,
        "attempt_id": _attempt_id(invitation),
    }


def invitation_out(invitation: Invitation) -> s.InvitationOut:
    return s.InvitationOut(**invitation_fields(invitation))


def _summary_fields(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": attempt.public_id,
        "plan_id": attempt.plan.public_id,
        "invitation_id": attempt.invitation.public_id,
        "candidate": candidate_out(attempt.candidate),
        "status": attempt.status,
        "claimed_at": attempt.claimed_at,
        "started_at": attempt.started_at,
        "deadline_at": attempt.deadline_at,
        "finished_at": attempt.finished_at,
    }


def attempt_summary_out(attempt: Attempt) -> s.AttemptSummaryOut:
    return s.AttemptSummaryOut(**_summary_fields(attempt))


def attempt_out(attempt: Attempt) -> s.AttemptOut:
    items = []
    for item in attempt.items.select_related("exercise"):
        live = item_result(item=item)
        items.append(
            s.AttemptItemOut(
                position=item.position,
                exercise=exercise_ref(item.exercise),
                weight=item.weight,
                status=live.status,  # type: ignore[arg-type]  # ItemResult.status's values
                submissions=item.submissions.count(),
                score=live.score,
            )
        )
    return s.AttemptOut(
        **_summary_fields(attempt),
        notice_acknowledged_at=attempt.notice_acknowledged_at,
        time_multiplier=attempt.time_multiplier,
        seconds_left=attempt.seconds_left(),
        items=items,
    )


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _item_result_out(r: ItemResult) -> s.ItemResultOut:
    result = r.result
    run = r.run
    return s.ItemResultOut(
        position=r.item.position,
        exercise=exercise_ref(r.item.exercise),
        weight=r.item.weight,
        status=r.status,  # type: ignore[arg-type]  # ItemResult.status's values
        submission_number=r.submission.number if r.submission else None,
        submitted_at=r.submission.created_at if r.submission else None,
        auto_submitted=r.submission.auto_submitted if r.submission else None,
        graded_at=run.finished_at if run is not None else None,
        score=r.score,
        verdict=(run.verdict or None) if run is not None else None,
        points=result.points if result is not None else None,
        max_points=result.max_points if result is not None else None,
        summary=result.summary if result is not None else "",
        failure=run.failure if run is not None else "",
        tests=[
            s.TestOut(
                name=t.name,
                points=t.points,
                max_points=t.max_points,
                visible=t.visible,
                passed=t.passed,
                message=t.message,
                group=t.group,
            )
            for t in (result.tests if result is not None else [])
        ],
        metrics={k: _finite(v) for k, v in (result.metrics if result is not None else {}).items()},
    )


def results_out(results: AttemptResults) -> s.ResultsOut:
    return s.ResultsOut(
        attempt_id=results.attempt.public_id,
        status=results.attempt.status,  # type: ignore[arg-type]  # AttemptStatus values
        overall_score=results.overall,
        items=[_item_result_out(r) for r in results.items],
        skills=[
            s.SkillOut(
                skill_area=k.skill_area,
                level=k.level,
                score=k.score,
                evidence=[
                    s.SkillEvidenceOut(exercise=title, weight=weight, score=score)
                    for title, weight, score in k.evidence
                ],
            )
            for k in results.skills
        ],
    )
