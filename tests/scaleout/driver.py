"""Acts on a deployment through the services, as the web processes would, from its own process.

    python -m tests.scaleout.driver COMMAND [options]     (DATABASE_URL etc. in the environment)

The scale-out tests and benchmarks run it with the deployment's environment so that the test
process never connects Django to the throwaway database: every command sets Django up, does one
thing, and prints one line of JSON.

    setup                          migrate, load the catalog, sync the bank
    prepare --n N --source FILE    N candidates with started attempts and FILE as their draft
    submit --items 1,2,...         hand in those items' drafts: one submission each
    invitations --n N              N unclaimed invitation links, as paths (for bench/load)
    report --runs ID,...           the runs, their audit events, and whether the chain verifies
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetta.config.settings")
    import django

    django.setup()


def _emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def setup(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from vetta.assessments.services.bank import bank_sync
    from vetta.catalog.services import catalog_load

    call_command("migrate", interactive=False, verbosity=0)
    catalog_load()
    bank = bank_sync()
    _emit({"exercises": sorted(str(e) for e in bank.loaded)})


def _plan(slug: str) -> Any:
    from tests.orgs.factories import builtin, make_member, make_organisation
    from vetta.assessments.services.plans import plan_create
    from vetta.orgs.models import MembershipRole

    organisation = make_organisation(f"Scale-out {uuid.uuid4().hex[:8]}")
    manager = make_member(organisation, MembershipRole.HIRING_MANAGER)
    plan = plan_create(
        actor=manager,
        role_profile=builtin("classical_ml"),
        name=f"Plan of {slug}",
        time_budget_minutes=240,
        exercise_slugs=[slug],
    )
    return manager, plan


def _issue(manager: Any, plan: Any, k: int) -> Any:
    from vetta.assessments.services.invitations import invitation_create

    return invitation_create(
        actor=manager,
        plan=plan,
        email=f"candidate{k}-{uuid.uuid4().hex[:6]}@example.org",
        name=f"Candidate {k}",
        send_email=False,
    )


def _started_attempts(n: int, slug: str) -> list[Any]:
    from vetta.assessments.notice import notice_for
    from vetta.assessments.services.attempts import attempt_start, notice_acknowledge
    from vetta.assessments.services.invitations import invitation_claim

    manager, plan = _plan(slug)
    attempts = []
    for k in range(n):
        issued = _issue(manager, plan, k)
        attempt = invitation_claim(token=issued.url.rsplit("/", 1)[-1])
        notice_acknowledge(attempt=attempt, notice_version=notice_for(attempt).version)
        attempts.append(attempt_start(attempt=attempt))
    return attempts


def prepare(args: argparse.Namespace) -> None:
    from vetta.assessments.services.attempts import draft_save

    source = Path(args.source).read_text()
    items = []
    for attempt in _started_attempts(args.n, args.exercise):
        item = attempt.items.get()
        draft_save(item=item, path=args.path, content=source, base_revision=None)
        items.append(item.pk)
    _emit({"items": items})


def submit(args: argparse.Namespace) -> None:
    from vetta.assessments.models import AttemptItem
    from vetta.assessments.services.attempts import submission_create

    runs = []
    for pk in (int(i) for i in args.items.split(",")):
        submission = submission_create(item=AttemptItem.objects.get(pk=pk))
        runs.append(str(submission.runs.get().run_id))
    _emit({"runs": runs})


def invitations(args: argparse.Namespace) -> None:
    """Links for candidates to claim in their own browser: "/invite/<token>" each."""
    manager, plan = _plan(args.exercise)
    links = ["/invite/" + _issue(manager, plan, k).url.rsplit("/", 1)[-1] for k in range(args.n)]
    _emit({"links": links})


def report(args: argparse.Namespace) -> None:
    from vetta.assessments.models import GradingRun
    from vetta.governance.models import AuditEvent
    from vetta.governance.services import audit_verify

    wanted = args.runs.split(",")
    runs = GradingRun.objects.filter(run_id__in=wanted).select_related("submission")
    subjects = [f"run:{r}" for r in wanted]
    records = Counter(
        AuditEvent.objects.filter(action="grading.record", subject__in=subjects).values_list(
            "subject", flat=True
        )
    )
    rows = {}
    for run in runs:
        submission = run.submission
        assert submission is not None
        rows[str(run.run_id)] = {
            "status": run.status,
            "score": run.score,
            "verdict": run.verdict,
            "failure": run.failure,
            "worker": run.worker,
            "deliveries": run.deliveries,
            "records": records.get(run.audit_id, 0),
            "submission": str(submission.public_id),
            "runs_of_submission": submission.runs.count(),
            "results_of_submission": submission.runs.filter(result__isnull=False).count(),
        }
    verified = audit_verify()
    _emit(
        {
            "runs": rows,
            "records_total": sum(records.values()),
            "audit_ok": verified.ok,
            "audit_checked": verified.checked,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.scaleout.driver")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup").set_defaults(func=setup)
    for name, func in (("prepare", prepare), ("invitations", invitations)):
        command = commands.add_parser(name)
        command.add_argument("--n", type=int, required=True)
        command.add_argument("--exercise", default="tiny-adder")
        command.add_argument("--path", default="adder.py")
        if name == "prepare":
            command.add_argument("--source", required=True)
        command.set_defaults(func=func)
    command = commands.add_parser("submit")
    command.add_argument("--items", required=True)
    command.set_defaults(func=submit)
    command = commands.add_parser("report")
    command.add_argument("--runs", required=True)
    command.set_defaults(func=report)
    args = parser.parse_args()
    _django()
    args.func(args)


if __name__ == "__main__":
    main()
