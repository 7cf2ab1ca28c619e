"""Dates and durations at the edges of what Python can represent: a clear 4xx, never a 500."""

from __future__ import annotations

import pytest

from app.models import Role
from tests.support.factories import login, make_user

PUBLIC = ["/api/v1/reports", "/api/v1/indicators"]
EDGES = [
    ("since", "0001-01-01"),
    ("until", "9999-12-31"),
    ("since", "9999-12-01"),
    ("until", "0001-01-31"),
    ("since", "1899-12-01"),
    ("until", "2200-01-31"),
]


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.parametrize(("name", "value"), EDGES)
def test_public_period_edges_are_refused_clearly(client, path, name, value):
    response = client.get(path, params={name: value})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"][0]["field"] == name


def test_a_period_at_the_bounds_is_answered(client):
    response = client.get(
        "/api/v1/indicators", params={"since": "1900-01-01", "until": "2199-12-31"}
    )
    assert response.status_code == 200, response.text


def test_planner_periods_whose_previous_period_would_fall_before_year_one(client, db, settings):
    login(client, make_user(db, settings, Role.planner, email="planner@example.org"))
    for params in (
        {"since": "0001-01-01", "until": "0001-12-31"},
        {"until": "0001-01-31"},
        {"since": "9999-12-01", "until": "9999-12-31"},
        {"since": "1900-01-01", "until": "2199-12-31"},
    ):
        response = client.get("/api/v1/planner/indicators", params=params)
        assert response.status_code in (200, 422), (params, response.text)


def test_queue_ages_beyond_any_duration_are_refused(client, db, settings):
    login(client, make_user(db, settings, Role.moderator, email="mod@example.org"))
    for name in ("min_age_hours", "max_age_hours"):
        for value in ("1e300", "1e20", "inf", "nan"):
            response = client.get("/api/v1/moderation/reports", params={name: value})
            assert response.status_code == 422, (name, value, response.text)
        ok = client.get("/api/v1/moderation/reports", params={name: "876000"})
        assert ok.status_code == 200, ok.text


def test_audit_dates_at_the_edges(client, db, settings):
    login(client, make_user(db, settings, Role.admin, email="admin@example.org"))
    for params in ({"until": "9999-12-31"}, {"since": "0001-01-01"}):
        response = client.get("/api/v1/admin/audit", params=params)
        assert response.status_code == 422, (params, response.text)
