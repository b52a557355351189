"""Fixtures of the HTTP API and webhook tests: an organisation with a plan (the `world` of the
assessments tests), an API token for it, an attempt graded without the sandbox, and a real local
HTTP server that receives webhooks."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from tests.assessments import conftest as assessments
from tests.assessments.conftest import FIXTURE_BANK, World
from tests.orgs.factories import make_member, make_organisation
from vetta.assessments.models import Attempt
from vetta.assessments.notice import notice_for
from vetta.assessments.services.attempts import (
    attempt_finish,
    attempt_start,
    draft_save,
    notice_acknowledge,
    submission_create,
)
from vetta.assessments.services.grading import grading_run_claim, grading_run_record
from vetta.grading.contract import GradingResult
from vetta.integrations.services.tokens import api_token_create
from vetta.orgs.models import MembershipRole

# The assessments tests' fixtures, found by pytest here: a plan of the tiny-adder exercise.
world = assessments.world
fast_password_hashing = assessments.fast_password_hashing

STRONG = (FIXTURE_BANK / "tiny-adder/solutions/strong/adder.py").read_text()


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def token(world: World) -> str:
    """A token of the world's organisation (Acme)."""
    return api_token_create(organisation=world.manager.organisation, name="ATS sync").secret


@pytest.fixture
def api(token: str) -> Client:
    return bearer(token)


@pytest.fixture
def other_api(world: World) -> Client:
    """A client with a valid token of another organisation (Globex)."""
    globex = make_organisation("Globex")
    make_member(globex, MembershipRole.HIRING_MANAGER)
    return bearer(api_token_create(organisation=globex, name="Globex ATS").secret)


def fake_result(run_id: str, *, score: float = 0.5) -> GradingResult:
    """A result as the tiny-adder grader would give it: one public and one hidden test."""
    return GradingResult.model_validate(
        {
            "run_id": run_id,
            "exercise": {"slug": "tiny-adder", "version": "0.1.0"},
            "variant_seed": 7,
            "gradable": True,
            "verdict": "ok" if score == 1.0 else "wrong",
            "score": score,
            "points": score * 2,
            "max_points": 2,
            "tests": [
                {
                    "name": "adds small numbers",
                    "points": 1,
                    "max_points": 1,
                    "visible": True,
                    "passed": True,
                },
                {
                    "name": "hidden: negative numbers",
                    "points": score * 2 - 1,
                    "max_points": 1,
                    "visible": False,
                    "passed": score == 1.0,
                    "message": "expected -3, got 3",
                },
            ],
            "metrics": {"pass_rate": score},
            "summary": "2 tests, 1 hidden.",
        }
    )


def grade(attempt: Attempt, *, score: float = 0.5) -> str:
    """Submits the strong solution of the attempt's one exercise and records a result for it
    (no sandbox: the grading core is tested elsewhere); returns the run id."""
    item = attempt.items.get()
    draft_save(item=item, path="adder.py", content=STRONG, base_revision=None)
    run = submission_create(item=item).runs.get()
    claim = grading_run_claim(run_id=str(run.run_id))
    assert claim is not None
    assert grading_run_record(
        run_id=str(run.run_id), claim=claim, result=fake_result(str(run.run_id), score=score)
    )
    return str(run.run_id)


def graded_attempt(world: World, email: str = "ada@example.org", score: float = 0.5) -> Attempt:
    attempt = started_as(world, email)
    grade(attempt, score=score)
    return attempt_finish(attempt=attempt)


def started_as(world: World, email: str = "ada@example.org") -> Attempt:
    attempt = world.claimed_attempt(email)
    notice_acknowledge(attempt=attempt, notice_version=notice_for(attempt).version)
    return attempt_start(attempt=attempt)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on a free loopback port that answers with scripted statuses (the last
    one repeats) and keeps every request it received."""

    statuses: list[int] = field(default_factory=lambda: [200])
    requests: list[Received] = field(default_factory=list)
    url: str = ""

    def answer(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        receiver: Receiver = self.server.receiver
        receiver.requests.append(Received(dict(self.headers.items()), body))
        self.send_response(receiver.answer())
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serving(
    receiver: Receiver, *, scheme: str = "http", host: str = "127.0.0.1", tls: Any = None
) -> Iterator[Receiver]:
    """Runs `receiver` on a free loopback port (HTTPS with the server-side SSL context `tls`)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    receiver.url = f"{scheme}://{host}:{server.server_address[1]}/hooks/vetta"
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    with serving(Receiver()) as running:
        yield running
