"""Fixtures for assessments: an organisation with a hiring manager, the real exercise bank, a
plan, and a claimed attempt."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.orgs.factories import builtin, make_member, make_organisation
from vetta.assessments.models import AssessmentPlan, Attempt
from vetta.assessments.services.bank import bank_sync
from vetta.assessments.services.invitations import invitation_claim, invitation_create
from vetta.assessments.services.plans import plan_create
from vetta.orgs.models import Membership, MembershipRole


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    manager: Membership
    plan: AssessmentPlan

    def invite(self, email: str = "ada@example.org") -> tuple[str, Any]:
        issued = invitation_create(
            actor=self.manager, plan=self.plan, email=email, name="Ada", send_email=False
        )
        return issued.url.rsplit("/", 1)[-1], issued.invitation

    def claimed_attempt(self, email: str = "ada@example.org") -> Attempt:
        token, _ = self.invite(email)
        return invitation_claim(token=token)


FIXTURE_BANK = Path(__file__).resolve().parents[1] / "grading" / "fixtures"
REPO_EXERCISES = Path(__file__).resolve().parents[2] / "exercises"


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    """A plan of the tiny-adder fixture exercise: fast to prepare and to grade."""
    settings.VETTA_EXERCISES_DIR = FIXTURE_BANK
    bank_sync()
    organisation = make_organisation("Acme")
    manager = make_member(organisation, MembershipRole.HIRING_MANAGER)
    plan = plan_create(
        actor=manager,
        role_profile=builtin("classical_ml"),
        name="Data engineer",
        time_budget_minutes=60,
        exercise_slugs=["tiny-adder"],
    )
    return World(manager=manager, plan=plan)


@pytest.fixture
def real_bank(db: Any, settings: Any) -> None:
    """The repository's exercise bank, synced into the database (after `world`, if both)."""
    settings.VETTA_EXERCISES_DIR = Path(__file__).resolve().parents[2] / "exercises"
    bank_sync()
