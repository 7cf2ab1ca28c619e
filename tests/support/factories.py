"""Small builders for test data (through the real services, so rules apply)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime

import httpx
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Report, ReportStatus, Role, User
from app.schemas.reporting import ReportCreate
from app.services.accounts import auth
from app.services.reference import set_memberships
from app.services.reporting import submission

KIZILAY = (32.8541, 39.9208)  # Kızılay square, in Cumhuriyet Mahallesi (Çankaya)
PASSWORD = "a-long-test-password"
_counter = itertools.count(1)


def report_payload(lon: float = KIZILAY[0], lat: float = KIZILAY[1], **overrides) -> dict:
    body = {
        "category": "dark_street",
        "location": {"lon": lon, "lat": lat},
        "happening_now": False,
        "occurred_on": date.today().replace(day=1).isoformat(),
        "time_band": "night",
        "perceived_safety": 2,
        "text": "Sokak lambaları yanmıyor.",
        "reporter_gender": "woman",
        "reporter_age_band": "25_34",
        "consent": True,
    }
    body.update(overrides)
    return body


def make_report(
    db: Session,
    settings: Settings,
    *,
    lon: float = KIZILAY[0],
    lat: float = KIZILAY[1],
    status: ReportStatus = ReportStatus.pending,
    **overrides,
) -> tuple[Report, str]:
    """A report created by the service, optionally moved straight to `status`."""
    report, code = submission.create_report(
        db, settings, ReportCreate(**report_payload(lon, lat, **overrides))
    )
    if status is not ReportStatus.pending:
        report.status = status
        if status is ReportStatus.published:
            report.published_at = datetime.now(UTC)
    db.flush()
    return report, code


def make_user(
    db: Session,
    settings: Settings,
    role: Role,
    municipalities: Sequence[str] | None = None,
    *,
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    """A staff account; moderators and planners hold their role in Ankara BB (so in both
    districts) unless `municipalities` says otherwise. Administrators see everything."""
    email = email or f"{role.value}{next(_counter)}@example.org"
    user = auth.create_user(db, settings, email, password, role)
    if role is not Role.admin:
        set_memberships(db, user, ("ankara",) if municipalities is None else municipalities)
    db.flush()
    return user


def login(client: httpx.Client, user: User) -> None:
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    # What the page's scripts do: echo the CSRF cookie in a header on state-changing calls.
    client.headers["X-CSRF-Token"] = client.cookies["mh_csrf"]
