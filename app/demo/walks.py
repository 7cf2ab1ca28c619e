"""The demo's example safety audit walks in Çankaya: three published, one waiting for review.

Recorded by the Çankaya demo volunteer and approved by the demo administrator through the
audits services, so every rule applies (placement, displacement, moderation and its audit
log). Each walk is marked `is_example`, and every point's note says so. A published walk of
EXAMPLE_POINTS points in one mahalle passes k (default 5), so the public audit layer and the
dashboard's audit indicators show something. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.demo.staff import DEMO_ACCOUNTS
from app.models import AuditParameter, AuditWalk, Role, TimeBand, User
from app.schemas.audits import PointCreate, WalkCreate
from app.services import audits
from app.services.reference import mahalle_at

EXAMPLE_SEED = 20261125
EXAMPLE_POINTS = 8
STEP = 0.0003  # about 25 m of longitude in Ankara between two stops
NOTE = "ÖRNEK yürüyüş (demo verisi): {text}"


@dataclass(frozen=True)
class ExampleWalk:
    start: tuple[float, float]  # lon, lat of the first stop; the others go east
    days_ago: int
    time_band: TimeBand
    publish: bool
    text: str


EXAMPLE_WALKS = (
    ExampleWalk((32.8541, 39.9208), 40, TimeBand.evening, True, "Kızılay, akşam yürüyüşü."),
    ExampleWalk((32.8530, 39.9195), 25, TimeBand.night, True, "Kızılay arka sokaklar, gece."),
    ExampleWalk((32.8600, 39.9040), 15, TimeBand.evening, True, "Ayrancı, akşam."),
    ExampleWalk((32.8555, 39.9225), 3, TimeBand.night, False, "Kızılay, inceleme bekliyor."),
)


def _account(session: Session, role: Role, municipality: str | None) -> User | None:
    for demo in DEMO_ACCOUNTS:
        if demo.role is role and (municipality is None or municipality in demo.municipalities):
            return session.scalar(select(User).where(User.email == demo.email))
    return None


def _scores(rng: random.Random) -> dict[str, int]:
    return {p.value: rng.randint(0, 3) for p in AuditParameter}


def load_demo_walks(session: Session, settings: Settings, *, today: date | None = None) -> str:
    """Record the example walks once (after the demo accounts exist); the terminal's line."""
    already = session.scalar(select(func.count()).where(AuditWalk.is_example))
    if already:
        return f"Example audit walks: {already} already loaded (EXAMPLES, not real walks)."
    recorder = _account(session, Role.moderator, "cankaya")
    reviewer = _account(session, Role.admin, None)
    if recorder is None or reviewer is None:
        return "Example audit walks: skipped (the demo accounts are missing)."
    today = today or date.today()
    rng = random.Random(EXAMPLE_SEED)
    published = 0
    for n, example in enumerate(EXAMPLE_WALKS):
        lon, lat = example.start
        mahalle = mahalle_at(session, lon, lat)
        if mahalle is None:
            continue
        walk, _ = audits.create_walk(
            session,
            recorder,
            WalkCreate(
                mahalle_code=mahalle.code,
                walked_on=today - timedelta(days=example.days_ago),
                time_band=example.time_band,
                group_size=3 + n,
            ),
        )
        walk.is_example = True
        for i in range(EXAMPLE_POINTS if example.publish else EXAMPLE_POINTS - 3):
            point = PointCreate(
                client_id=f"example-{n}-{i}",
                location={"lon": lon + STEP * i, "lat": lat},
                scores=_scores(rng),
                note=NOTE.format(text=example.text),
            )
            audits.add_point(session, settings, recorder, str(walk.id), point)
        audits.submit_walk(session, recorder, str(walk.id))
        if example.publish:
            audits.approve_walk(session, reviewer, str(walk.id), "Örnek yürüyüş (demo).")
            published += 1
    session.flush()
    pending = len(EXAMPLE_WALKS) - published
    return (
        f"Example audit walks in Çankaya: {published} published, {pending} waiting for review "
        "at /audits (EXAMPLES, not real walks; marked as examples)."
    )
