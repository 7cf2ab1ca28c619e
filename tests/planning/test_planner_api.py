"""Planners' API over HTTP: roles, API tokens (Bearer, no CSRF), filters, definitions."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select, text

from app.models import ApiToken, Role
from app.services.planning import definitions
from tests.support.dates import month_end, month_start
from tests.support.factories import login, make_user
from tests.support.planner_support import add_reports, grid_mahalle

__all__ = ["grid_mahalle"]

PERIOD = {"since": month_start(2).isoformat(), "until": month_end(0).isoformat()}


def props(response: httpx.Response) -> dict[str, dict]:
    assert response.status_code == 200, response.text
    return {f["properties"]["code"]: f["properties"] for f in response.json()["features"]}


@pytest.mark.parametrize(
    "path", ["/api/v1/planner/indicators", "/api/v1/planner/hotspots", "/api/v1/tokens"]
)
def test_anonymous_and_moderators_are_refused(client, db, path, settings):
    response = client.get(path)
    assert response.status_code == 401
    assert "log in" in response.json()["error"]["message"].lower()
    login(client, make_user(db, settings, Role.moderator))
    response = client.get(path)
    assert response.status_code == 403
    assert "planner" in response.json()["error"]["message"]


@pytest.mark.parametrize("role", [Role.planner, Role.admin])
def test_planner_and_admin_get_every_indicator(client, db, settings, grid_mahalle, role):
    add_reports(db, settings, 0, 0, 6)
    add_reports(db, settings, 1, 0, 2)
    login(client, make_user(db, settings, role))
    body = client.get("/api/v1/planner/indicators", params=PERIOD).json()
    assert body["metadata"]["suppression_threshold_k"] == 5
    assert body["metadata"]["period"] == {"since": PERIOD["since"], "until": PERIOD["until"]}
    assert "ODbL" in body["metadata"]["attribution"]
    assert {d["code"] for d in body["metadata"]["definitions"]} == set(definitions.BY_CODE)
    p = {f["properties"]["code"]: f["properties"] for f in body["features"]}
    assert p["M00"]["reports"] == 6 and p["M10"]["reports"] is None
    assert p["M10"]["reports_suppressed"] is True
    for code in definitions.BY_CODE:
        assert code in p["M00"], code
    # Filters change the rows.
    filtered = props(
        client.get("/api/v1/planner/indicators", params={**PERIOD, "district": "Other"})
    )
    assert set(filtered) == {"M20", "M21", "M22"}
    night = props(client.get("/api/v1/planner/indicators", params={**PERIOD, "time_band": "day"}))
    assert night["M00"]["reports"] == 0


def test_period_must_be_whole_months(client, db, settings):
    login(client, make_user(db, settings, Role.planner))
    response = client.get("/api/v1/planner/indicators", params={"since": "2026-01-05"})
    assert response.status_code == 422
    assert "first day of a month" in response.json()["error"]["message"]


def test_hotspots_and_mahalle_detail(client, db, settings, grid_mahalle):
    add_reports(db, settings, 0, 0, 6, category="dark_street")
    add_reports(db, settings, 0, 0, 2, category="unsafe_stop")
    login(client, make_user(db, settings, Role.planner))
    hexes = client.get("/api/v1/planner/hotspots", params={**PERIOD, "size": 500}).json()
    assert hexes["metadata"]["hexagon_size_m"] == 500
    assert all(
        f["properties"]["reports"] in (None, 0) or f["properties"]["reports"] >= 5
        for f in hexes["features"]
    )
    assert client.get("/api/v1/planner/hotspots", params={"size": 300}).status_code == 422
    detail = client.get("/api/v1/planner/mahalle/M00", params=PERIOD).json()
    assert detail["indicators"]["reports"] == 8
    cells = {c["key"]: c for c in detail["categories"]}
    # 2 is below k, and alone it would be 8 - 6: both are withheld.
    assert cells["unsafe_stop"]["reports"] is None and cells["dark_street"]["reports"] is None
    assert detail["months"] == [
        {"key": month_start(0).strftime("%Y-%m"), "reports": 8, "reports_suppressed": False}
    ]
    assert client.get("/api/v1/planner/mahalle/NOPE").status_code == 404


def test_definitions_are_public_and_match_the_docs(client):
    body = client.get("/api/v1/indicators/definitions").json()
    assert set(body["themes"]) == {
        "public_space",
        "transport",
        "lighting",
        "service_access",
        "municipal_response",
    }
    codes = [d["code"] for d in body["indicators"]]
    assert len(codes) == len(set(codes))
    for item in body["indicators"]:
        assert item["name"]["tr"] and item["name"]["en"] and item["unit"] and item["formula"]
        assert item["theme"] in body["themes"]
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
    assert docs.read_text(encoding="utf-8") == definitions.markdown(), (
        "docs/indicators.md is out of date: python -m app.services.planning.definitions > docs/indicators.md"
    )


def test_api_tokens_lifecycle(client, server, db, settings):
    planner = make_user(db, settings, Role.planner)
    login(client, planner)
    created = client.post("/api/v1/tokens", json={"name": "QGIS"})
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert token.startswith("mh_") and created.json()["prefix"] == token[:10]
    stored = db.scalar(select(ApiToken).where(ApiToken.user_id == planner.id))
    assert stored is not None and token not in (stored.token_hash, stored.prefix + "x")
    assert stored.token_hash != token and len(stored.token_hash) == 64
    listed = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["QGIS"] and "token" not in listed[0]

    # A token works without a cookie and without a CSRF header.
    with httpx.Client(base_url=server.url, timeout=30) as bare:
        headers = {"Authorization": f"Bearer {token}"}
        assert bare.get("/api/v1/planner/indicators", headers=headers).status_code == 200
        db.expire_all()
        assert db.scalar(select(ApiToken.last_used_at).where(ApiToken.id == stored.id))
        # ... but not for managing tokens (session only).
        assert bare.get("/api/v1/tokens", headers=headers).status_code == 401
        revoked = client.delete(f"/api/v1/tokens/{stored.id}")
        assert revoked.status_code == 204
        refused = bare.get("/api/v1/planner/indicators", headers=headers)
        assert refused.status_code == 401
        assert "revoked" in refused.json()["error"]["message"]
        wrong = bare.get("/api/v1/planner/indicators", headers={"Authorization": "Bearer x"})
        assert wrong.status_code == 401


def test_session_requests_still_need_csrf(client, db, settings):
    login(client, make_user(db, settings, Role.planner))
    del client.headers["X-CSRF-Token"]
    response = client.post("/api/v1/tokens", json={"name": "x"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_tokens_of_moderators_and_inactive_users_are_refused(client, server, db, settings):
    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403
    planner = make_user(db, settings, Role.planner)
    client.cookies.clear()
    login(client, planner)
    token = client.post("/api/v1/tokens", json={"name": "x"}).json()["token"]
    db.execute(text("UPDATE app_user SET active = false WHERE id = :i"), {"i": planner.id})
    db.flush()
    with httpx.Client(base_url=server.url, timeout=30) as bare:
        response = bare.get(
            "/api/v1/planner/indicators", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401


def test_revoking_someone_elses_token_is_not_found(client, db, settings):
    login(client, make_user(db, settings, Role.planner))
    token_id = client.post("/api/v1/tokens", json={"name": "x"}).json()["id"]
    client.cookies.clear()
    login(client, make_user(db, settings, Role.planner))
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 404


def test_classes_leave_out_the_mahalle_drawn_as_no_reports(client, db, settings, grid_mahalle):
    add_reports(db, settings, 0, 0, 6)
    add_reports(db, settings, 1, 1, 7)
    add_reports(db, settings, 1, 0, 2)  # fewer than k: withheld, in no class
    login(client, make_user(db, settings, Role.planner))
    shown = props(client.get("/api/v1/planner/indicators", params=PERIOD))
    coloured = sorted(
        p["reports_per_1000_women"]
        for p in shown.values()
        if p["reports"] and p["reports_per_1000_women"] is not None
    )
    assert len(coloured) == 2 and sum(p["reports"] == 0 for p in shown.values()) == 6
    body = client.get(
        "/api/v1/planner/classes",
        params={**PERIOD, "indicator": "reports_per_1000_women", "classes": 5},
    ).json()
    # Six mahalle have no report: before, they filled every class but the last ("≤ 0").
    assert body["counts"] == [1, 1]
    assert coloured[0] <= body["bins"][0] < coloured[1]
    assert body["bins"][1] == pytest.approx(coloured[1], abs=1e-6)
