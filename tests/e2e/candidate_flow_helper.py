"""The browser test's side door into a running Vetta: prepares the hiring team's part through the
services, and reads the outcome through the selectors, on the VETTA_HOME (and database) of the
`vetta up` under test. Run as a separate process so that Django is configured on that home:

    VETTA_HOME=... python -m tests.e2e.candidate_flow_helper setup [SLUG,SLUG...]
    VETTA_HOME=... python -m tests.e2e.candidate_flow_helper results ATTEMPT_ID

Each command prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import secrets
import sys
from typing import Any

from vetta.cli._django import setup_django

EXERCISE = "event-log-sessionizer"


def setup(slugs: list[str]) -> dict[str, Any]:
    """An organisation, its hiring manager, a plan of the given exercises (the sessionizer alone
    by default), one invitation."""
    from django.contrib.auth.models import User

    from vetta.assessments.services.invitations import invitation_create
    from vetta.assessments.services.plans import plan_create
    from vetta.catalog.models import RoleProfile
    from vetta.orgs.models import MembershipRole
    from vetta.orgs.services import membership_add, organisation_create

    suffix = secrets.token_hex(3)
    password = secrets.token_urlsafe(12)
    owner = User.objects.create_user(username=f"owner-{suffix}", password=password)
    organisation = organisation_create(name=f"Acme Data {suffix}", owner=owner)
    organisation.contact_email = "people@acme.example"
    organisation.save(update_fields=["contact_email"])
    user = User.objects.create_user(username=f"manager-{suffix}", password=password)
    manager = membership_add(
        actor=None, organisation=organisation, user=user, role=MembershipRole.HIRING_MANAGER
    )
    plan = plan_create(
        actor=manager,
        role_profile=RoleProfile.objects.get(builtin_key="classical_ml"),
        name="Data engineer (browser test)",
        time_budget_minutes=60,
        exercise_slugs=slugs,
    )
    issued = invitation_create(
        actor=manager, plan=plan, email=f"ada-{suffix}@example.org", name="Ada", send_email=False
    )
    return {
        "link": issued.url,
        "organisation": organisation.name,
        "username": user.username,
        "password": password,
    }


def results(attempt_id: str) -> dict[str, Any]:
    """What the hiring team sees of an attempt, read with the hiring team's own selector."""
    from django.contrib.auth.models import User

    from vetta.assessments.models import Attempt
    from vetta.assessments.selectors import attempt_get, attempt_results

    attempt = Attempt.objects.select_related("plan__created_by__user").get(public_id=attempt_id)
    manager = User.objects.get(pk=attempt.plan.created_by.user_id)  # type: ignore[union-attr]
    outcome = attempt_results(attempt=attempt_get(user=manager, public_id=attempt_id))
    return {
        "status": outcome.attempt.status,
        "overall": outcome.overall,
        "items": [
            {
                "exercise": r.item.exercise.slug,
                "status": r.status,
                "score": r.score,
                "submission": r.submission.number if r.submission else None,
            }
            for r in outcome.items
        ],
    }


def main(argv: list[str]) -> int:
    setup_django()
    if argv[:1] == ["setup"] and len(argv) <= 2:
        answer = setup(argv[1].split(",") if len(argv) == 2 else [EXERCISE])
    elif argv[:1] == ["results"] and len(argv) == 2:
        answer = results(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
