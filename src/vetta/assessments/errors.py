"""Domain errors of assessments; each message is written for the person who will read it."""

from __future__ import annotations


class AssessmentError(Exception):
    """A rule of plans, invitations or attempts was broken."""


class InvitationInvalid(AssessmentError):
    """The link is unknown, expired, revoked or already used."""


class DuplicateInvitation(AssessmentError):
    """The candidate already has a pending invitation to this plan."""


class AttemptClosed(AssessmentError):
    """The attempt's deadline has passed or it has finished: nothing more can change."""


class RateLimited(AssessmentError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class DraftConflict(AssessmentError):
    """A save based on an old revision: another tab saved newer work."""

    def __init__(self, message: str, revision: int) -> None:
        super().__init__(message)
        self.revision = revision
