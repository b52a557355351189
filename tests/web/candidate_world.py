"""Builders for the candidate pages' tests: a hiring manager's plan of a fast fixture exercise,
invitations, and browsers (Django test clients) that claim them.

Imported by tests/web/test_candidate_*.py; grading results are recorded through the real claim and
record services with a crafted result, so these tests need no sandbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from tests.orgs.factories import builtin, make_member, make_organisation
from vetta.assessments.models import AssessmentPlan, Attempt, GradingRun
from vetta.assessments.notice import notice_for
from vetta.assessments.services.bank import bank_sync
from vetta.assessments.services.grading import grading_run_claim, grading_run_record
from vetta.assessments.services.invitations import invitation_create
from vetta.assessments.services.plans import plan_create
from vetta.grading.contract import ExerciseRef, GradingResult, ResultVerdict, TestOutcome
from vetta.orgs.models import Membership, MembershipRole

HERE = Path(__file__).resolve().parent
GRADING_FIXTURES = HERE.parent / "grading" / "fixtures"  # tiny-adder
WEB_FIXTURES = HERE / "fixtures"  # upload-adder: the tiny adder, with uploads allowed
REAL_BANK = HERE.parents[1] / "exercises"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@dataclass
class CandidateWorld:
    manager: Membership
    plan: AssessmentPlan
    invited: list[str] = field(default_factory=list)

    def link(self, email: str | None = None) -> str:
        """A fresh invitation link's path, /invite/<token>."""
        email = email or f"candidate{len(self.invited) + 1}@example.org"
        self.invited.append(email)
        issued = invitation_create(
            actor=self.manager, plan=self.plan, email=email, name="Ada", send_email=False
        )
        return "/invite/" + issued.url.rsplit("/", 1)[-1]

    def claimed(self, client: Client | None = None) -> tuple[Client, Attempt]:
        """A browser that claimed a fresh link, and the attempt it holds."""
        client = client or Client()
        response = client.post(self.link())
        assert response.status_code == 302, response.content
        attempt_id = response["Location"].split("/")[2]
        return client, Attempt.objects.get(public_id=attempt_id)

    def started(self, client: Client | None = None) -> tuple[Client, Attempt]:
        client, attempt = self.claimed(client)
        version = notice_for(attempt).version
        client.post(
            reverse("candidate_notice", args=[attempt.public_id]), {"notice_version": version}
        )
        client.post(reverse("candidate_start", args=[attempt.public_id]))
        attempt.refresh_from_db()
        return client, attempt


def make_world(settings: Any, *, bank: Path, slug: str, contact: str = "") -> CandidateWorld:
    settings.VETTA_EXERCISES_DIR = bank
    bank_sync()
    organisation = make_organisation("Acme")
    if contact:
        organisation.contact_email = contact
        organisation.save()
    manager = make_member(organisation, MembershipRole.HIRING_MANAGER)
    plan = plan_create(
        actor=manager,
        role_profile=builtin("classical_ml"),
        name="Data engineer",
        time_budget_minutes=60,
        exercise_slugs=[slug],
    )
    return CandidateWorld(manager=manager, plan=plan)


def record(run: GradingRun, **fields: Any) -> GradingRun:
    """Records a crafted result for a queued run through the real claim and record services."""
    claim = grading_run_claim(run_id=str(run.run_id))
    assert claim is not None
    values: dict[str, Any] = {
        "run_id": str(run.run_id),
        "exercise": ExerciseRef(slug=run.item.exercise.slug, version=run.item.exercise.version),
        "variant_seed": run.item.variant_seed,
        "gradable": True,
        "verdict": ResultVerdict.WRONG,
        "score": 0.75,
        "points": 3.0,
        "max_points": 4.0,
        "summary": "3 of 4 checks passed.",
        "grader": "unit_tests/1",
    }
    values.update(fields)
    assert grading_run_record(run_id=str(run.run_id), claim=claim, result=GradingResult(**values))
    run.refresh_from_db()
    return run


def outcome(name: str, *, passed: bool, visible: bool, message: str = "") -> TestOutcome:
    return TestOutcome(
        name=name,
        points=1.0 if passed else 0.0,
        max_points=1.0,
        visible=visible,
        passed=passed,
        message=message,
    )
