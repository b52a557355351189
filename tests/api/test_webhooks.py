"""Webhooks against a real HTTP server on loopback: signed as documented, retried with backoff,
bounded, never sent twice after success, and never sent to internal addresses."""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import Receiver, World, grade, graded_attempt, serving, started_as
from tests.conftest import require
from vetta.assessments.services.attempts import attempt_finish
from vetta.integrations import delivery as http
from vetta.integrations.errors import IntegrationError
from vetta.integrations.models import WebhookDelivery, WebhookEndpoint
from vetta.integrations.services.webhooks import (
    backoff_seconds,
    webhook_deliveries_resume,
    webhook_delivery_attempt,
    webhook_endpoint_add,
    webhook_endpoint_remove,
)
from vetta.integrations.tasks import deliver_webhook_task

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_verifier() -> Any:
    """`verify_signature` exactly as docs/api.md gives it to integrators."""
    text = DOCS.read_text()
    block = re.search(
        r"<!-- verify-snippet: start -->\n```python\n(.*?)```\n<!-- verify-snippet: end -->",
        text,
        flags=re.DOTALL,
    )
    assert block is not None, "docs/api.md lost its verification snippet"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), str(DOCS), "exec"), namespace)
    return namespace["verify_signature"]


def endpoint_for(world: World, receiver: Receiver) -> tuple[WebhookEndpoint, str]:
    issued = webhook_endpoint_add(organisation=world.manager.organisation, url=receiver.url)
    return issued.endpoint, issued.secret


def one_delivery(
    world: World, receiver: Receiver, capture: Any, score: float = 0.5
) -> tuple[WebhookDelivery, str]:
    """A graded attempt with its delivery recorded (not yet sent)."""
    _, secret = endpoint_for(world, receiver)
    with capture(execute=True):
        graded_attempt(world, score=score)
    return WebhookDelivery.objects.get(), secret


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Runs after-commit work (the graded signal) but keeps Celery messages off the broker: the
    tests run the task themselves."""
    queued: list[int] = []
    monkeypatch.setattr(deliver_webhook_task, "delay", queued.append)
    return django_capture_on_commit_callbacks


def test_a_graded_attempt_is_posted_signed_as_documented(
    world: World, receiver: Receiver, capture: Any
) -> None:
    delivery, secret = one_delivery(world, receiver, capture)
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "delivered"
    (request,) = receiver.requests
    verify = documented_verifier()
    assert verify(secret, request.body, request.headers["Vetta-Signature"])
    assert not verify(
        "whsec_another-secret-entirely-000000", request.body, request.headers["Vetta-Signature"]
    )
    assert not verify(secret, request.body + b" ", request.headers["Vetta-Signature"])
    old = f"t={int(time.time()) - 3600},v1=" + request.headers["Vetta-Signature"].split("v1=")[1]
    assert not verify(secret, request.body, old)
    assert request.headers["Vetta-Event"] == "attempt.graded"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Host"] == receiver.url.split("/")[2]


def test_the_payload_has_scores_and_a_pseudonym_but_no_e_mail(
    world: World, receiver: Receiver, capture: Any
) -> None:
    delivery, _ = one_delivery(world, receiver, capture, score=0.5)
    deliver_webhook_task.apply(args=[delivery.pk])
    body = receiver.requests[0].body
    event = json.loads(body)
    attempt = event["data"]["attempt"]
    assert event["type"] == "attempt.graded"
    assert event["id"] == receiver.requests[0].headers["Vetta-Event-Id"]
    assert attempt["status"] == "finished" and attempt["overall_score"] == 0.5
    assert [(i["exercise"], i["status"], i["score"], i["verdict"]) for i in attempt["items"]] == [
        ("tiny-adder", "graded", 0.5, "wrong")
    ]
    candidate = WebhookDelivery.objects.get().endpoint.organisation.candidates.get()
    assert attempt["candidate_id"] == str(candidate.public_id)
    assert b"ada@example.org" not in body and b"Ada" not in body


def test_a_failing_receiver_is_retried_until_it_answers(
    world: World, receiver: Receiver, capture: Any
) -> None:
    receiver.statuses = [500, 503, 200]
    delivery, _ = one_delivery(world, receiver, capture)
    # Eager retries run at once; the countdown a worker would wait is checked below.
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "delivered"
    assert [r.headers["Vetta-Delivery-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert len({r.headers["Vetta-Event-Id"] for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    log = [(a.number, a.status_code, a.error) for a in delivery.attempt_log.all()]
    assert log == [
        (1, 500, "the receiver answered HTTP 500"),
        (2, 503, "the receiver answered HTTP 503"),
        (3, 200, ""),
    ]


def test_a_failed_request_schedules_the_next_after_an_exponential_backoff(
    world: World, receiver: Receiver, capture: Any, settings: Any
) -> None:
    settings.VETTA_WEBHOOK_BACKOFF_SECONDS = 60
    assert [backoff_seconds(n) for n in range(1, 6)] == [60, 120, 240, 480, 960]
    receiver.statuses = [500]
    delivery, _ = one_delivery(world, receiver, capture)
    before = timezone.now()
    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert (outcome.status, outcome.sent, outcome.retry_in) == ("pending", True, 60)
    delivery.refresh_from_db()
    assert delivery.next_attempt_at is not None
    assert timedelta(seconds=59) <= delivery.next_attempt_at - before <= timedelta(seconds=61)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).retry_in == 120


def test_delivery_gives_up_after_the_bound(
    world: World, receiver: Receiver, capture: Any, settings: Any
) -> None:
    settings.VETTA_WEBHOOK_MAX_ATTEMPTS = 4
    receiver.statuses = [500]
    delivery, _ = one_delivery(world, receiver, capture)
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "failed"
    assert len(receiver.requests) == 4
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 4)
    assert delivery.attempt_log.count() == 4
    # A stray message later sends nothing more.
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "failed"
    assert len(receiver.requests) == 4


def test_a_redelivered_message_sends_nothing_after_success(
    world: World, receiver: Receiver, capture: Any
) -> None:
    delivery, _ = one_delivery(world, receiver, capture)
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "delivered"
    for _ in range(3):
        assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "delivered"
    assert len(receiver.requests) == 1


def test_a_delivery_being_sent_by_another_worker_is_not_sent_again(
    world: World, receiver: Receiver, capture: Any
) -> None:
    delivery, _ = one_delivery(world, receiver, capture)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claim="00000000-0000-4000-8000-000000000001", claimed_at=timezone.now()
    )
    outcome = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert (outcome.sent, outcome.status) == (False, "pending")
    assert receiver.requests == []


def test_an_event_announced_twice_is_delivered_once(
    world: World, receiver: Receiver, capture: Any
) -> None:
    from vetta.assessments.services.grading import attempt_announce_if_graded

    delivery, _ = one_delivery(world, receiver, capture)
    with capture(execute=True):
        attempt_announce_if_graded(
            delivery.endpoint.organisation.candidates.get().attempts.get().pk
        )
    assert WebhookDelivery.objects.count() == 1


def test_finishing_after_the_last_result_announces_the_attempt(
    world: World, receiver: Receiver, capture: Any
) -> None:
    endpoint_for(world, receiver)
    attempt = started_as(world)
    with capture(execute=True):
        grade(attempt)
    assert WebhookDelivery.objects.count() == 0  # not finished yet: nothing to announce
    with capture(execute=True):
        attempt_finish(attempt=attempt)
    assert WebhookDelivery.objects.get().event_type == "attempt.graded"


def test_only_active_endpoints_of_the_attempt_s_organisation_get_the_event(
    world: World, receiver: Receiver, capture: Any
) -> None:
    from tests.orgs.factories import make_organisation

    globex = make_organisation("Globex")
    webhook_endpoint_add(organisation=globex, url=receiver.url)
    disabled = webhook_endpoint_add(organisation=world.manager.organisation, url=receiver.url)
    WebhookEndpoint.objects.filter(pk=disabled.endpoint.pk).update(active=False)
    mine, _ = endpoint_for(world, receiver)
    with capture(execute=True):
        graded_attempt(world)
    assert [d.endpoint_id for d in WebhookDelivery.objects.all()] == [mine.pk]


def test_a_lost_retry_message_is_resumed_by_the_periodic_sweep(
    world: World, receiver: Receiver, capture: Any
) -> None:
    delivery, _ = one_delivery(world, receiver, capture)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=10)
    )
    with capture(execute=False) as enqueued:
        assert webhook_deliveries_resume() == [delivery.pk]
    assert len(enqueued) == 1
    assert webhook_deliveries_resume() == []  # not again at the next sweep


def test_removing_an_endpoint_stops_its_deliveries(
    world: World, receiver: Receiver, capture: Any
) -> None:
    delivery, _ = one_delivery(world, receiver, capture)
    webhook_endpoint_remove(endpoint=delivery.endpoint)
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "missing"
    assert receiver.requests == []


# The SSRF guard ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.215.14/hook",
        "file:///etc/passwd",
        "gopher://93.184.215.14/",
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[64:ff9b::a00:1]/hook",
        "http://[fd00::1]/hook",
        "https://user:secret@93.184.215.14/hook",
        "http:///hook",
        "not a url",
    ],
)
def test_internal_or_non_http_urls_are_refused(world: World, url: str, settings: Any) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(IntegrationError):
        webhook_endpoint_add(organisation=world.manager.organisation, url=url)
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted_without_any_request(world: World, settings: Any) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = False
    issued = webhook_endpoint_add(
        organisation=world.manager.organisation, url="https://93.184.215.14/hooks"
    )
    assert issued.secret.startswith("whsec_") and issued.endpoint.secret == issued.secret


def test_a_private_url_is_refused_at_send_time_too_without_retries(
    world: World, receiver: Receiver, capture: Any, settings: Any
) -> None:
    delivery, _ = one_delivery(world, receiver, capture)
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = False  # the operator turned the permission off
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "failed"
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_error.startswith("refused:")


@pytest.mark.sandbox
def test_a_real_grading_in_the_sandbox_ends_in_a_signed_delivery(
    world: World, receiver: Receiver, capture: Any
) -> None:
    from tests.api.conftest import STRONG
    from vetta.assessments.services.attempts import draft_save, submission_create
    from vetta.assessments.services.grading import grading_run_execute

    _, secret = endpoint_for(world, receiver)
    attempt = started_as(world)
    item = attempt.items.get()
    draft_save(item=item, path="adder.py", content=STRONG, base_revision=None)
    run = submission_create(item=item).runs.get()
    with capture(execute=True):
        attempt_finish(attempt=attempt)
        assert not WebhookDelivery.objects.exists()  # grading is still queued
        assert grading_run_execute(run_id=str(run.run_id))
    (delivery,) = WebhookDelivery.objects.all()
    assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "delivered"
    (request,) = receiver.requests
    assert documented_verifier()(secret, request.body, request.headers["Vetta-Signature"])
    items = json.loads(request.body)["data"]["attempt"]["items"]
    assert [(i["status"], i["score"], i["verdict"]) for i in items] == [("graded", 1.0, "ok")]


@pytest.fixture
def local_ca(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A self-signed certificate for `localhost` (made with openssl); Vetta's client trusts it,
    the receiver serves it."""
    require(shutil.which("openssl") is not None, "openssl makes the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setattr(http, "TLS_VERIFY", ssl.create_default_context(cafile=str(cert)))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(str(cert), str(key))
    return server


def test_https_goes_to_the_checked_address_and_verifies_the_url_s_host_name(
    world: World, capture: Any, settings: Any, local_ca: ssl.SSLContext
) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = True
    with serving(Receiver(), scheme="https", host="localhost", tls=local_ca) as receiver:
        delivery, secret = one_delivery(world, receiver, capture)
        assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "delivered"
    (request,) = receiver.requests
    assert request.headers["Host"] == receiver.url.split("/")[2]  # localhost:PORT
    assert documented_verifier()(secret, request.body, request.headers["Vetta-Signature"])


def test_https_with_a_certificate_for_another_name_is_not_delivered(
    world: World, capture: Any, settings: Any, local_ca: ssl.SSLContext
) -> None:
    settings.VETTA_WEBHOOK_ALLOW_PRIVATE = True
    settings.VETTA_WEBHOOK_MAX_ATTEMPTS = 1
    # The certificate names localhost; the URL names 127.0.0.1.
    with serving(Receiver(), scheme="https", host="127.0.0.1", tls=local_ca) as receiver:
        delivery, _ = one_delivery(world, receiver, capture)
        assert deliver_webhook_task.apply(args=[delivery.pk]).get() == "failed"
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert "ConnectError" in delivery.last_error and "certificate" in delivery.last_error.lower()
