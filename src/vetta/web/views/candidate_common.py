"""What the candidate pages share: the attempts this browser claimed, and the read-only shapes the
templates and the JSON endpoints show (workspace files, statements, feedback).

Candidates have no account. Claiming an invitation link records the attempt's public id in the
browser's session; every candidate page and endpoint looks the attempt up through that list, so
another candidate's attempt answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from markdown_it import MarkdownIt

from vetta.assessments.errors import AssessmentError
from vetta.assessments.models import Attempt, AttemptItem, GradingRun, RunStatus
from vetta.assessments.selectors import ItemResult, attempt_for_candidate
from vetta.assessments.services.attempts import workspace_of
from vetta.assessments.services.bank import bank_package
from vetta.grading.contract import GradingResult
from vetta.grading.exercises.model import FeedbackPolicy, HiddenFeedback
from vetta.grading.exercises.package import ExercisePackage
from vetta.grading.feedback import candidate_view

SESSION_ATTEMPTS = "vetta_candidate_attempts"
# The browser keeps its session this long after the link's expiry or the attempt's deadline, so
# that a candidate can come back (after a restart, too) to finish or to read the feedback.
SESSION_MARGIN = timedelta(days=30)
# Read-only workspace files (sample data) are shown up to this size; the rest is cut with a note.
READ_ONLY_VIEW_BYTES = 64 * 1024
# When the package a submission was graded with is gone from the bank, its policy is unknown:
# show the least.
_STRICTEST = FeedbackPolicy(hidden_tests=HiddenFeedback.AGGREGATE, show_metrics=False)


# --- The session's claimed attempts -------------------------------------------------------------


def claimed_attempts(request: HttpRequest) -> list[str]:
    value = request.session.get(SESSION_ATTEMPTS, [])
    return [str(v) for v in value] if isinstance(value, list) else []


def _extend_session(request: HttpRequest, until: datetime) -> None:
    current = request.session.get_expiry_date()
    if until > current:
        request.session.set_expiry(until)


def remember_attempt(request: HttpRequest, attempt: Attempt) -> None:
    """Keeps the attempt in this browser's session, persistently, past the link's expiry plus
    the assessment's time (the deadline is only known once the candidate starts)."""
    claimed = claimed_attempts(request)
    if str(attempt.public_id) not in claimed:
        claimed.append(str(attempt.public_id))
    request.session[SESSION_ATTEMPTS] = claimed
    minutes = sum(item.exercise.time_limit_minutes for item in attempt.items.all())
    latest_start = max(attempt.invitation.expires_at, timezone.now())
    until = latest_start + timedelta(minutes=minutes * attempt.time_multiplier) + SESSION_MARGIN
    _extend_session(request, until)


def keep_until_after_deadline(request: HttpRequest, attempt: Attempt) -> None:
    if attempt.deadline_at is not None:
        _extend_session(request, attempt.deadline_at + SESSION_MARGIN)


def candidate_attempt(request: HttpRequest, attempt_id: Any) -> Attempt:
    """The attempt if this browser claimed it; 404 otherwise."""
    return attempt_for_candidate(claimed=claimed_attempts(request), public_id=attempt_id)


# --- Statements and files -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML in a statement is shown as text, never rendered: statements come from packages
    # in git, but a page a candidate trusts must not run what a package author typed.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str, *, heading_offset: int = 0) -> str:
    """HTML of a Markdown text; headings shifted down by `heading_offset` levels so that a
    statement's `#` fits under the page's own headings (one h1 per page)."""
    md = _markdown()
    tokens = md.parse(text)
    if heading_offset:
        for token in tokens:
            if token.type in {"heading_open", "heading_close"}:
                token.tag = f"h{min(6, int(token.tag[1]) + heading_offset)}"
    return str(md.renderer.render(tokens, md.options, {}))


@dataclass(frozen=True)
class ShownFile:
    path: str
    content: str
    size: int
    truncated: bool
    kind: str  # "starter", "data" or "public test"


@dataclass(frozen=True)
class EditableFile:
    path: str
    content: str
    revision: int


def _shown(path: str, data: bytes, kind: str) -> ShownFile:
    cut = data[:READ_ONLY_VIEW_BYTES]
    text = cut.decode("utf-8", "replace")
    if len(data) > READ_ONLY_VIEW_BYTES and "\n" in text:
        text = text[: text.rfind("\n") + 1]  # end on a whole line
    if b"\0" in cut:
        text = "(a binary file: not shown)"
    return ShownFile(path, text, len(data), len(data) > READ_ONLY_VIEW_BYTES, kind)


def read_only_files(package: ExercisePackage, item: AttemptItem) -> list[ShownFile]:
    """Starter files the candidate cannot edit, the variant's public data and the public tests:
    everything the candidate's code runs next to, and nothing hidden."""
    starter = set(package.starter_files())
    workspace, complete = workspace_of(package, item, generate=False)
    files = [
        _shown(path, data, "starter" if path in starter else "data")
        for path, data in sorted(workspace.items())
        if not package.is_editable(path)
    ]
    if not complete:
        files.append(
            ShownFile(
                "data/",
                "Your copy of this exercise's data is being prepared. Reload the page in a "
                "moment to see it; your code can already use it when tests run.",
                0,
                False,
                "data",
            )
        )
    files += [
        _shown(f"public_tests/{path}", data, "public test")
        for path, data in sorted(package.public_test_files().items())
    ]
    return files


def editable_files(item: AttemptItem) -> list[EditableFile]:
    return [EditableFile(d.path, d.content, d.revision) for d in item.drafts.order_by("path")]


# --- Feedback -----------------------------------------------------------------------------------


def feedback_policy(item: AttemptItem) -> FeedbackPolicy:
    try:
        return bank_package(item.exercise).spec.feedback
    except (AssessmentError, OSError, ValueError):
        return _STRICTEST


STATUS_LABELS = {
    "not_submitted": "Not submitted",
    "queued": "Queued",
    "grading": "Grading",
    "graded": "Graded",
    "failed": "Grading failed on our side",
}


VERDICT_LABELS = {
    "ok": "Every check passed.",
    "wrong": "Some checks did not pass.",
    "cpu_time": "Your code used more CPU time than the exercise allows.",
    "wall_time": "Your code took longer than the exercise allows.",
    "memory": "Your code used more memory than the exercise allows.",
    "output_limit": "Your code printed more output than the exercise allows.",
    "runtime_error": "Your code could not run (a crash, a syntax or an import error?).",
    "grader_error": "Grading failed on our side; this is not your fault.",
}


@dataclass
class ItemFeedback:
    """One exercise's latest submission as the candidate sees it."""

    item: AttemptItem
    status: str
    submission_number: int | None
    run_id: str | None
    score: float | None
    view: dict[str, Any] | None  # vetta.grading.feedback.candidate_view
    failure: str = ""
    can_regrade: bool = False
    regrade_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(str((self.view or {}).get("verdict", "")), "")

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)


def item_feedback(result: ItemResult, *, detailed: bool = True) -> ItemFeedback:
    """`detailed=False` leaves out the feedback itself (the status poll's common case: the page
    already shows it), sparing the parse of the result and of the package's policy."""
    item = result.item
    run = result.run
    view = None
    failure = ""
    graded: GradingResult | None = result.result if detailed else None
    if result.status in {"graded", "failed"} and graded is not None:
        view = candidate_view(graded, feedback_policy(item))
    if result.status == "failed" and run is not None:
        failure = run.failure or "The grader stopped for a reason on our side."
    return ItemFeedback(
        item=item,
        status=result.status,
        submission_number=result.submission.number if result.submission else None,
        run_id=str(run.run_id) if run is not None else None,
        score=result.score,
        view=view,
        failure=failure,
        can_regrade=result.status == "failed",
        regrade_url=reverse("candidate_regrade", args=[item.attempt.public_id, item.pk]),
    )


def feedback_html(feedback: ItemFeedback, request: HttpRequest) -> str:
    return render_to_string("candidate/_feedback.html", {"fb": feedback}, request=request)


def public_tests_view(item: AttemptItem, run: GradingRun | None) -> dict[str, Any] | None:
    """The latest public-test run as the candidate sees it (all its tests are public)."""
    if run is None:
        return None
    view: dict[str, Any] = {"run_id": str(run.run_id), "status": run.status, "result": None}
    if run.status == RunStatus.DONE and run.result is not None:
        view["result"] = candidate_view(
            GradingResult.model_validate(run.result), feedback_policy(item)
        )
    elif run.status == RunStatus.FAILED:
        view["failure"] = run.failure or "The run stopped for a reason on our side."
    return view


def public_tests_html(view: dict[str, Any] | None, request: HttpRequest) -> str:
    return render_to_string("candidate/_public_tests.html", {"pt": view}, request=request)
