"""What the hiring-team pages share: the member acting on an object, and the shapes the templates
render (the coverage matrix, time used, grading status). Presentation only: the rules live in
`vetta.assessments.services` and the reads in `vetta.assessments.selectors`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from vetta.assessments.models import AssessmentPlan, Attempt, BankExercise
from vetta.assessments.planning import Coverage
from vetta.assessments.selectors import ItemResult
from vetta.catalog.domain import AssessmentMethod
from vetta.catalog.models import SkillArea
from vetta.orgs.models import EDITOR_ROLES, Membership
from vetta.orgs.selectors import membership_get_current


def member_of(request: HttpRequest, organisation_id: int) -> Membership:
    """The request's membership in the organisation an object belongs to. Selectors already
    answered 404 for objects outside the user's organisations, so this only fails for a
    membership removed in between."""
    membership = membership_get_current(user=request.user, organisation_id=organisation_id)
    if membership is None or membership.organisation_id != organisation_id:
        raise PermissionDenied("you are not a member of this organisation")
    return membership


def can_edit(membership: Membership | None) -> bool:
    return membership is not None and membership.role in EDITOR_ROLES


def require_editor(membership: Membership) -> None:
    if not can_edit(membership):
        raise PermissionDenied("only owners and hiring managers change plans and invitations")


def method_label(method: str) -> str:
    try:
        return AssessmentMethod(method).label
    except ValueError:
        return method


@dataclass(frozen=True)
class ExerciseColumn:
    exercise: BankExercise
    position: int

    @property
    def method_label(self) -> str:
        return method_label(self.exercise.method)


@dataclass(frozen=True)
class Cell:
    weight: float | None  # the exercise's weight for the row's skill area; None: not evidenced


@dataclass(frozen=True)
class MatrixRow:
    key: str
    name: str
    level: str
    cells: tuple[Cell, ...]
    covered: bool


@dataclass(frozen=True)
class Uncovered:
    key: str
    name: str
    # Exercises of the bank, not in the plan, that evidence the area; empty when none does.
    candidates: tuple[BankExercise, ...]


@dataclass(frozen=True)
class PlanOverview:
    plan: AssessmentPlan
    columns: tuple[ExerciseColumn, ...]
    rows: tuple[MatrixRow, ...]
    # Required areas no exercise of the bank evidences: an interview has to cover them.
    unreachable_required: tuple[Uncovered, ...]
    # Required areas the bank could evidence but this plan's exercises do not.
    missing_required: tuple[Uncovered, ...]
    uncovered_preferred: tuple[Uncovered, ...]
    total_minutes: int
    budget_minutes: int
    over_budget_minutes: int
    # Bank exercises not in the plan, offered for adding.
    addable: tuple[BankExercise, ...]

    @property
    def has_rubric_parts(self) -> bool:
        return any(c.exercise.rubric_parts for c in self.columns)


def plan_overview(
    *,
    plan: AssessmentPlan,
    exercises: Sequence[BankExercise],
    coverage: Coverage,
    bank: Iterable[BankExercise],
    skill_areas: Iterable[SkillArea],
) -> PlanOverview:
    """Arranges a plan's coverage as a matrix: rows are the profile's required and preferred
    skill areas (required first), columns the plan's exercises in order."""
    names = {area.key: area.name for area in skill_areas}
    columns = tuple(ExerciseColumn(e, n + 1) for n, e in enumerate(exercises))
    in_plan = {e.slug for e in exercises}
    addable = tuple(e for e in bank if e.slug not in in_plan)
    order = {"required": 0, "preferred": 1}
    rows = tuple(
        MatrixRow(
            key=row.skill_area,
            name=names.get(row.skill_area, row.skill_area),
            level=row.level,
            cells=tuple(Cell(c.exercise.skill_areas.get(row.skill_area)) for c in columns),
            covered=row.covered,
        )
        for row in sorted(
            (r for r in coverage.rows if r.level in order), key=lambda r: order[r.level]
        )
    )

    def uncovered(keys: Iterable[str]) -> tuple[Uncovered, ...]:
        return tuple(
            Uncovered(
                key=key,
                name=names.get(key, key),
                candidates=tuple(e for e in addable if key in e.skill_areas),
            )
            for key in keys
        )

    unreachable = set(coverage.unreachable_required)
    return PlanOverview(
        plan=plan,
        columns=columns,
        rows=rows,
        unreachable_required=uncovered(coverage.unreachable_required),
        missing_required=uncovered(a for a in coverage.uncovered_required if a not in unreachable),
        uncovered_preferred=uncovered(coverage.uncovered_preferred),
        total_minutes=coverage.total_minutes,
        budget_minutes=coverage.budget_minutes,
        over_budget_minutes=coverage.over_budget_minutes,
        addable=addable,
    )


def reordered(slugs: Sequence[str], *, action: str, slug: str) -> list[str]:
    """The plan's exercise list after one adjustment from the plan page (add, remove, up, down);
    the service checks the result against the bank."""
    order = list(slugs)
    if action == "add":
        return [*order, slug] if slug not in order else order
    if slug not in order:
        return order
    index = order.index(slug)
    if action == "remove":
        del order[index]
    elif action == "up" and index > 0:
        order[index - 1], order[index] = order[index], order[index - 1]
    elif action == "down" and index < len(order) - 1:
        order[index + 1], order[index] = order[index], order[index + 1]
    return order


def time_used(attempt: Attempt, now: datetime | None = None) -> timedelta | None:
    """From the start to the end (or to now, while the clock runs), never past the deadline."""
    if attempt.started_at is None:
        return None
    end = attempt.finished_at or now or timezone.now()
    if attempt.deadline_at is not None:
        end = min(end, attempt.deadline_at)
    return max(timedelta(0), end - attempt.started_at)


def allowed_time(attempt: Attempt) -> timedelta | None:
    if attempt.started_at is None or attempt.deadline_at is None:
        return None
    return attempt.deadline_at - attempt.started_at


STATUS_LABELS = {
    "graded": "graded",
    "grading": "grading",
    "queued": "queued",
    "failed": "grading failed",
    "not_submitted": "not submitted",
}


def grading_status(items: Sequence[ItemResult]) -> str:
    """One phrase for an attempt's grading, e.g. "2 graded, 1 grading"."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.status] = counts.get(item.status, 0) + 1
    parts = [f"{counts[s]} {label}" for s, label in STATUS_LABELS.items() if counts.get(s)]
    return ", ".join(parts) or "no exercises"


def is_settled(items: Sequence[ItemResult]) -> bool:
    """True when no grading is queued or running: nothing left to watch."""
    return all(item.status not in {"queued", "grading"} for item in items)


def duration_text(value: timedelta | None) -> str:
    """ "1 h 05 min", "12 min 30 s", "40 s"; an empty string for no duration."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


# What each result verdict says about the sandboxed runs, for the hiring team.
VERDICT_TEXT = {
    "ok": "Ran within the sandbox's limits and earned every point.",
    "wrong": "Ran within the sandbox's limits and lost points.",
    "cpu_time": "A sandboxed run used up its CPU time limit before finishing.",
    "wall_time": "A sandboxed run passed its wall-clock limit before finishing.",
    "memory": "A sandboxed run ran out of memory.",
    "output_limit": "A sandboxed run printed more output than allowed.",
    "runtime_error": "The code could not run in the sandbox (an import error or a crash).",
    "grader_error": (
        "The platform failed while grading; this is not the candidate's fault, and the "
        "submission may be graded again without penalty."
    ),
}


def verdict_text(verdict: str) -> str:
    return VERDICT_TEXT.get(verdict, "")
