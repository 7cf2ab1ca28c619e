"""Domain errors, and the one table that maps them to HTTP status codes.

Services raise these; they never import HTTPException. Every error response is JSON of the
form {"error": {"code": ..., "message": ..., "field": ...}} with a message a person can act on.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    code = "error"
    # Commit what the request wrote before the error (see app.db.unit_of_work); rarely true.
    keeps_writes = False

    def __init__(self, message: str, *, field: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class NotFound(DomainError):
    code = "not_found"


class ReportNotFound(NotFound):
    code = "report_not_found"


class InvalidInput(DomainError):
    code = "invalid_input"


class OutsideDeploymentArea(InvalidInput):
    code = "outside_deployment_area"


class InvalidTransition(DomainError):
    code = "invalid_transition"


class NotAuthenticated(DomainError):
    code = "not_authenticated"


class NotPermitted(DomainError):
    code = "not_permitted"


class CsrfRefused(NotPermitted):
    code = "csrf_failed"


class Conflict(DomainError):
    code = "conflict"


class UnresolvedPersonalData(Conflict):
    """Approval refused: the text the public would read has personal-data hints.

    `details.hint_kinds` names the kinds (phone, email, ...), never the data itself.
    """

    code = "personal_data_hints"


class PayloadTooLarge(InvalidInput):
    code = "payload_too_large"


class LengthRequired(InvalidInput):
    code = "length_required"


class TooManyAttempts(DomainError):
    """Too many failed attempts (logins, tracking codes); `retry_after_s` says when to retry.

    Answered 429 with a Retry-After header and `details.retry_after` (seconds).
    """

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, details={"retry_after": retry_after_s})
        self.retry_after_s = retry_after_s
        self.headers = {"Retry-After": str(retry_after_s)}


class IntakeLimited(TooManyAttempts):
    """A ceiling on anonymous intake (reports, photos, "me too") is reached; 429."""

    code = "intake_limit"


class ImportFailed(DomainError):
    """A data file cannot be imported; nothing from it was written."""

    code = "import_failed"


class ServiceUnavailable(DomainError):
    code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """PostgreSQL cannot be reached in time; 503 with Retry-After (nothing was stored)."""

    code = "database_unavailable"
    retry_after_s = 10

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message, details=details)
        self.headers = {"Retry-After": str(self.retry_after_s)}


class OutcomeUnknown(DatabaseUnavailable):
    """The connection was lost while committing: what was sent may or may not be stored.

    The answer carries what the request would have been answered (e.g. the report's public
    id and tracking code), so the sender can check before sending it again.
    """

    code = "outcome_unknown"


# The one mapping from domain errors to HTTP status codes (most specific class wins).
HTTP_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    PayloadTooLarge: 413,
    LengthRequired: 411,
    ImportFailed: 422,
    InvalidTransition: 409,
    Conflict: 409,
    NotAuthenticated: 401,
    NotPermitted: 403,
    TooManyAttempts: 429,
    ServiceUnavailable: 503,
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON shape of every error response."""
    return {"error": {"code": code, "message": message, **extra}}


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error (the most specific class in the table wins)."""
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 400
