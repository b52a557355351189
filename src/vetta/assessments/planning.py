"""Choosing exercises for a role: a weighted set cover under a time budget. Pure functions.

Every required skill area an exercise in the bank can evidence gets covered first, even past the
budget (the plan then says by how much it is over, and the hiring manager decides); preferred
areas are added while time allows. Among exercises that add the same coverage, the shorter one,
then one written for the role's context, then the slug, wins, so the same inputs always give the
same plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Offer:
    """An exercise the planner may choose."""

    slug: str
    minutes: int
    skill_areas: Mapping[str, float]
    role_contexts: Sequence[str]
    method: str


@dataclass(frozen=True)
class CoverageRow:
    skill_area: str
    level: str  # required / preferred / not_needed
    evidence: tuple[tuple[str, float], ...]  # (exercise slug, weight) in the plan

    @property
    def covered(self) -> bool:
        return bool(self.evidence)


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    total_minutes: int
    budget_minutes: int
    # Required areas no exercise of the bank evidences: an interview has to cover them.
    unreachable_required: tuple[str, ...]

    @property
    def uncovered_required(self) -> tuple[str, ...]:
        return tuple(r.skill_area for r in self.rows if r.level == "required" and not r.covered)

    @property
    def uncovered_preferred(self) -> tuple[str, ...]:
        return tuple(r.skill_area for r in self.rows if r.level == "preferred" and not r.covered)

    @property
    def over_budget_minutes(self) -> int:
        return max(0, self.total_minutes - self.budget_minutes)


def coverage(
    levels: Mapping[str, str],
    chosen: Sequence[Offer],
    budget_minutes: int,
    bank: Sequence[Offer] = (),
) -> Coverage:
    rows = []
    for area, level in levels.items():
        evidence = tuple((o.slug, o.skill_areas[area]) for o in chosen if area in o.skill_areas)
        rows.append(CoverageRow(skill_area=area, level=level, evidence=evidence))
    reachable = {area for offer in (*bank, *chosen) for area in offer.skill_areas}
    unreachable = tuple(
        a for a, level in levels.items() if level == "required" and a not in reachable
    )
    return Coverage(
        rows=tuple(rows),
        total_minutes=sum(o.minutes for o in chosen),
        budget_minutes=budget_minutes,
        unreachable_required=unreachable,
    )


def _gain(offer: Offer, wanted: set[str]) -> float:
    return sum(weight for area, weight in offer.skill_areas.items() if area in wanted)


def propose(
    levels: Mapping[str, str],
    role_context: str,
    budget_minutes: int,
    bank: Sequence[Offer],
) -> list[Offer]:
    required = {a for a, level in levels.items() if level == "required"}
    preferred = {a for a, level in levels.items() if level == "preferred"}
    chosen: list[Offer] = []

    def covered() -> set[str]:
        return {area for offer in chosen for area in offer.skill_areas}

    def best(wanted: set[str], minutes_left: int | None) -> Offer | None:
        options = [
            o
            for o in bank
            if o not in chosen
            and _gain(o, wanted) > 0
            and (minutes_left is None or o.minutes <= minutes_left)
        ]
        if not options:
            return None
        return min(
            options,
            key=lambda o: (
                -_gain(o, wanted) / o.minutes,
                o.minutes,
                role_context not in o.role_contexts,
                o.slug,
            ),
        )

    while True:
        pick = best(required - covered(), None)
        if pick is None:
            break
        chosen.append(pick)
    while True:
        spent = sum(o.minutes for o in chosen)
        pick = best(preferred - covered(), budget_minutes - spent)
        if pick is None:
            break
        chosen.append(pick)
    return chosen
