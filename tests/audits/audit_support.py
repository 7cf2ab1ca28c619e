"""Builders for audit walk tests: a walk in a mahalle, scored points, the HTTP calls."""

from __future__ import annotations

import itertools
from datetime import date

import httpx

from app.services.reference import mahalle_at

SCORES = {
    "lighting": 1,
    "openness": 2,
    "visibility": 2,
    "people": 1,
    "security": 0,
    "walk_path": 3,
    "public_transport": 2,
    "gender_usage": 1,
    "feeling": 1,
}
_ids = itertools.count(1)


def mahalle_code(db, lon: float, lat: float) -> str:
    found = mahalle_at(db, lon, lat)
    assert found is not None, (lon, lat)
    return found.code


def walk_body(code: str, **overrides) -> dict:
    body = {
        "mahalle_code": code,
        "walked_on": date.today().replace(day=1).isoformat(),
        "time_band": "evening",
        "group_size": 4,
    }
    body.update(overrides)
    return body


def point_body(lon: float, lat: float, **overrides) -> dict:
    body = {
        "client_id": f"pt-{next(_ids)}",
        "location": {"lon": lon, "lat": lat},
        "scores": dict(SCORES),
        "note": "",
    }
    body.update(overrides)
    return body


def start_walk(client: httpx.Client, code: str, **overrides) -> str:
    response = client.post("/api/v1/audits/walks", json=walk_body(code, **overrides))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def add_points(client: httpx.Client, walk: str, lon: float, lat: float, n: int, **scores) -> None:
    for i in range(n):
        body = point_body(lon + 0.0002 * i, lat, scores={**SCORES, **scores})
        response = client.post(f"/api/v1/audits/walks/{walk}/points", json=body)
        assert response.status_code == 201, response.text


def published_walk(
    db, settings, lon: float, lat: float, n: int, approve: bool = True, note: str = "", **scores
) -> str:
    """A walk of `n` points near (lon, lat), recorded by one volunteer, submitted and (unless
    `approve` is false) approved by another, through the services so every rule applies."""
    from app.models import Role
    from app.schemas.audits import PointCreate, WalkCreate
    from app.services import audits
    from tests.support.factories import make_user

    recorder = make_user(db, settings, Role.moderator, ["cankaya"])
    reviewer = make_user(db, settings, Role.moderator, ["cankaya"])
    walk, _ = audits.create_walk(db, recorder, WalkCreate(**walk_body(mahalle_code(db, lon, lat))))
    for i in range(n):
        body = point_body(lon + 0.0002 * i, lat, scores={**SCORES, **scores}, note=note)
        audits.add_point(db, settings, recorder, str(walk.id), PointCreate(**body))
    audits.submit_walk(db, recorder, str(walk.id))
    if approve:
        audits.approve_walk(db, reviewer, str(walk.id))
    return str(walk.id)
