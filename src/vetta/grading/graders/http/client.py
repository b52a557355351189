"""The trusted HTTP client. Its functions run inside the sandbox's network namespace (through
`SandboxProcess.netns_call`), talk to the candidate's service on 127.0.0.1, and hand back plain
`Reply` records; judging happens afterwards, outside.

The service is hostile until proven otherwise, so the client owns its socket and drives the
HTTP/1.1 parser (h11) itself: connect, send and every receive get only the time left before the
request's deadline. Per-read timeouts alone (httpx's) do not bound a request: a service that
drips one byte of its status line or body every second would hold the client forever. Bodies are
capped, and after the run's time budget no request is sent. So a service that hangs on a route
costs that route's timeout, never the grading run.

Every request has its own connection (`Connection: close`): a check's result never depends on
what an earlier one did to a shared connection (uvicorn, for one, resets a kept-alive
connection after a 500).
"""

from __future__ import annotations

import concurrent.futures
import math
import socket
import time
from collections.abc import Callable, Sequence

import h11

from vetta.grading.graders.http.checks import LatencyCheck, RequestSpec
from vetta.grading.graders.http.judge import Reply

# A fixed, neutral identity: sniffing it gains nothing, since every answer is judged on its
# content and no hidden material is in reach of the service.
USER_AGENT = "vetta-conformance/1"
MAX_BODY_BYTES = 1024 * 1024
_MAX_HEADER_BYTES = 64 * 1024
_RECV = 64 * 1024


class _Late(Exception):
    """The request's deadline passed."""


def _headers(port: int, request: RequestSpec, body: bytes | None) -> list[tuple[str, str]]:
    headers = [
        ("Host", f"127.0.0.1:{port}"),
        ("User-Agent", USER_AGENT),
        ("Accept", "application/json"),
        # Bodies are read raw and capped, so a compressed bomb is never inflated.
        ("Accept-Encoding", "identity"),
        ("Connection", "close"),
    ]
    given = {name.lower() for name in request.headers}
    headers = [(k, v) for k, v in headers if k.lower() not in given]
    headers += list(request.headers.items())
    if body is not None:
        if "content-type" not in given:
            headers.append(("Content-Type", request.content_type or "application/json"))
        headers.append(("Content-Length", str(len(body))))
    return headers


def _exchange(port: int, request: RequestSpec, deadline: float, started: float) -> Reply:
    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Late
        return remaining

    body = request.content()
    conn = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEADER_BYTES)
    outgoing = conn.send(
        h11.Request(
            method=request.method, target=request.path, headers=_headers(port, request, body)
        )
    )
    if body:
        outgoing += conn.send(h11.Data(data=body))
    outgoing += conn.send(h11.EndOfMessage())
    with socket.create_connection(("127.0.0.1", port), timeout=left()) as sock:
        sock.settimeout(left())
        sock.sendall(outgoing)
        status: int | None = None
        content_type = ""
        received = bytearray()
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                sock.settimeout(left())
                try:
                    conn.receive_data(sock.recv(_RECV))
                except TimeoutError:
                    raise _Late from None
            elif isinstance(event, h11.Response):
                status = event.status_code
                for name, value in event.headers:
                    if name == b"content-type":
                        content_type = value.decode("latin-1")
            elif isinstance(event, h11.Data):
                received += event.data
                if len(received) > MAX_BODY_BYTES:
                    return Reply(error=f"the response body is larger than {MAX_BODY_BYTES} bytes")
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                break
            # InformationalResponse (1xx): wait for the real answer.
    if status is None:
        return Reply(error="the connection was closed without an HTTP response")
    return Reply(
        status=status,
        content_type=content_type,
        body=bytes(received),
        seconds=time.perf_counter() - started,
    )


def send(port: int, request: RequestSpec, timeout: float, *, budget_end: float = math.inf) -> Reply:
    """One request on its own connection, all of it within `timeout` and before `budget_end`
    (a monotonic time); never raises for anything the service does. Messages name the nominal
    timeout, never a clipped one, so that they are the same on every run."""
    started = time.perf_counter()
    own_deadline = time.monotonic() + timeout
    late = (
        f"no complete response within {timeout:g} s"
        if own_deadline <= budget_end
        else "no complete response before the time budget ran out"
    )
    try:
        return _exchange(port, request, min(own_deadline, budget_end), started)
    except (_Late, TimeoutError):  # TimeoutError: connect or send ran out of time
        return Reply(error=late)
    except ConnectionRefusedError:
        return Reply(error="could not connect: the service is not accepting connections")
    except h11.RemoteProtocolError as exc:
        return Reply(error=f"the answer is not valid HTTP/1.1 ({exc})")
    except OSError as exc:  # reset, broken pipe
        return Reply(error=f"the connection failed ({type(exc).__name__})")


def wait_ready(
    port: int, path: str, *, timeout: float, alive: Callable[[], bool], interval: float = 0.1
) -> Reply:
    """Polls GET `path` until it answers 2xx/3xx (a readiness probe's rule), the service exits,
    or `timeout` passes; returns the last reply."""
    deadline = time.monotonic() + timeout
    probe = RequestSpec(method="GET", path=path)
    last = Reply(error=f"no answer to GET {path}")
    while time.monotonic() < deadline and alive():
        last = send(port, probe, 2.0, budget_end=deadline)
        if last.status is not None and 200 <= last.status < 400:
            return last
        time.sleep(interval)
    return last


def run_sequence(
    port: int,
    requests: Sequence[tuple[RequestSpec, float]],
    *,
    deadline: float,
    alive: Callable[[], bool],
) -> list[Reply]:
    """Sends each (request, timeout) in order, one at a time."""
    replies: list[Reply] = []
    for request, timeout in requests:
        if time.monotonic() >= deadline:
            replies.append(Reply(error="not sent: the grading time budget was used up"))
        elif not alive():
            replies.append(Reply(error="not sent: the service is no longer running"))
        else:
            replies.append(send(port, request, timeout, budget_end=deadline))
    return replies


def run_load(
    port: int, spec: LatencyCheck, *, deadline: float, alive: Callable[[], bool]
) -> list[Reply]:
    """The latency check's requests: `warmup` one at a time (not returned), then `total` with
    `concurrency` in flight, round-robin over `spec.requests`; replies in sending order. Ends by
    `spec.max_seconds` or the run's `deadline`, whichever comes first."""
    deadline = min(deadline, time.monotonic() + spec.max_seconds)
    for index in range(spec.warmup):
        if time.monotonic() >= deadline or not alive():
            break
        send(port, spec.requests[index % len(spec.requests)].request, spec.timeout_seconds)

    def one(index: int) -> Reply:
        if time.monotonic() >= deadline:
            return Reply(error="not sent: the latency check's time budget was used up")
        if not alive():
            return Reply(error="not sent: the service is no longer running")
        request = spec.requests[index % len(spec.requests)].request
        return send(port, request, spec.timeout_seconds, budget_end=deadline)

    # Threads started here inherit this thread's network namespace (Linux copies the creating
    # thread's namespaces), so they reach the same 127.0.0.1.
    with concurrent.futures.ThreadPoolExecutor(
        spec.concurrency, thread_name_prefix="vetta-load"
    ) as pool:
        return list(pool.map(one, range(spec.total)))
