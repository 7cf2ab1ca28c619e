"""Every validation rule of POST /api/v1/reports: a 4xx naming the field, and nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from app.models import Category, Report
from tests.support.factories import report_payload

TOMORROW = (date.today() + timedelta(days=2)).isoformat()
LONG_AGO = (date.today() - timedelta(days=800)).isoformat()

CASES = [
    ("outside the area", {"location": {"lon": 28.97, "lat": 41.01}}, "location"),
    ("unknown category", {"category": "no_such_thing"}, "category"),
    ("safety too low", {"perceived_safety": 0}, "perceived_safety"),
    ("safety too high", {"perceived_safety": 6}, "perceived_safety"),
    ("bad time band", {"time_band": "morning"}, "time_band"),
    ("text too long", {"text": "x" * 2001}, "text"),
    ("bad gender", {"reporter_gender": "unknown"}, "reporter_gender"),
    ("bad age band", {"reporter_age_band": "30s"}, "reporter_age_band"),
    ("no consent", {"consent": False}, "consent"),
    ("latitude out of range", {"location": {"lon": 32.85, "lat": 95}}, "location.lat"),
    ("no date for an earlier event", {"occurred_on": None}, "occurred_on"),
    ("no band for an earlier event", {"time_band": None}, "time_band"),
    ("date in the future", {"occurred_on": TOMORROW}, "occurred_on"),
    ("date too long ago", {"occurred_on": LONG_AGO}, "occurred_on"),
    ("unknown field", {"email": "me@example.org"}, "email"),
]


@pytest.mark.parametrize(("label", "change", "field"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_refused_with_the_field_named(client, db, label, change, field):
    before = db.scalar(select(func.count(Report.id)))
    response = client.post("/api/v1/reports", json=report_payload(**change))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert field in [f["field"] for f in error["fields"]], error
    assert error["message"]
    assert db.scalar(select(func.count(Report.id))) == before


def test_missing_consent_field_is_refused(client):
    body = report_payload()
    del body["consent"]
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "consent"


def test_inactive_category_is_refused(client, db):
    db.execute(update(Category).where(Category.code == "unsafe_park").values(active=False))
    db.flush()
    response = client.post("/api/v1/reports", json=report_payload(category="unsafe_park"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "category"


def test_consent_message_explains_what_to_do(client):
    response = client.post("/api/v1/reports", json=report_payload(consent=False))
    message = response.json()["error"]["fields"][0]["message"]
    assert message.startswith("consent is required")


def test_malformed_json_is_a_clear_422(client):
    response = client.post(
        "/api/v1/reports", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "bbox",
    ["1,2,3", "a,b,c,d", "33,39,32,40", "32,39,33,99"],
    ids=["three", "text", "west>east", "lat"],
)
def test_bad_bbox_is_refused(client, bbox):
    response = client.get("/api/v1/reports", params={"bbox": bbox})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "bbox"


def test_bad_period_and_limit_are_refused(client):
    response = client.get("/api/v1/reports", params={"since": "2026-05-01", "until": "2026-01-31"})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "since"
    response = client.get("/api/v1/reports", params={"since": "yesterday"})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "since"
    response = client.get("/api/v1/reports", params={"limit": 5000})
    assert response.status_code == 422 and response.json()["error"]["fields"][0]["field"] == "limit"


def test_unknown_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["message"].lower() == "not found"


@pytest.mark.parametrize("url", ["/api/v1/reports", "/api/v1/indicators"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-03-02"}, "since"),
        ({"until": "2026-03-30"}, "until"),
        ({"until": "2026-02-28", "since": "2026-02-01"}, None),
        ({"until": "2028-02-29"}, None),
    ],
    ids=["since-mid-month", "until-mid-month", "whole-february", "leap-day"],
)
def test_public_periods_are_whole_months(client, url, params, field):
    """A day-level window would let anyone find the day of a report published by month."""
    response = client.get(url, params=params)
    if field is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["fields"][0]["field"] == field and "month" in error["message"]


def test_indicators_filter_by_group_not_by_single_category(client):
    assert client.get("/api/v1/indicators", params={"group": "harassment"}).status_code == 200
    bad = client.get("/api/v1/indicators", params={"group": "verbal_harassment"})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"].startswith("group")


NUL_CASES = [
    ("post", "/api/v1/reports", {"json": report_payload(text="a\u0000b")}, "text"),
    ("post", "/api/v1/reports", {"json": report_payload(category="dark\u0000")}, "category"),
    ("get", "/api/v1/reports", {"params": {"category": "\x00"}}, "category"),
    ("post", "/api/v1/auth/login", {"json": {"email": "a\u0000@x.org", "password": "p"}}, "email"),
    ("post", "/api/v1/track", {"json": {"code": "AAAA\u0000BBBB"}}, "code"),
]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "field"),
    NUL_CASES,
    ids=["text", "category", "query", "login", "track"],
)
def test_nul_characters_are_a_4xx_not_a_500(client, db, method, url, kwargs, field):
    before = db.scalar(select(func.count(Report.id)))
    # httpx encodes NUL in JSON as the escape \u0000, as a hostile client would send it.
    response = getattr(client, method)(url, **kwargs)
    assert 400 <= response.status_code < 500, response.text
    if field:
        assert field in [f["field"] for f in response.json()["error"]["fields"]]
    assert db.scalar(select(func.count(Report.id))) == before


def test_unexpected_errors_are_json(client, server, monkeypatch):
    from app.services.reference import categories

    def broken(session):
        raise RuntimeError("boom")

    monkeypatch.setattr(categories, "active_categories", broken)
    response = client.get("/api/v1/categories")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "boom" not in response.text
