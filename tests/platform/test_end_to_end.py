"""The whole path over HTTP, and durability: what the API acknowledged is committed."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import delete, event, select, text

from app.geo.displacement import haversine_m
from app.models import Report, Role
from tests.conftest import LiveServer
from tests.support.factories import KIZILAY, login, make_user, report_payload


def test_report_is_invisible_until_approved_then_only_displaced(client, db, settings):
    created = client.post("/api/v1/reports", json=report_payload(text="E2E: lamba yok"))
    assert created.status_code == 201
    public_id = created.json()["public_id"]
    assert public_id not in client.get("/api/v1/reports").text
    assert (
        client.post("/api/v1/track", json={"code": created.json()["tracking_code"]}).json()[
            "status"
        ]
        == "pending"
    )

    login(client, make_user(db, settings, Role.moderator))
    queue = client.get("/api/v1/moderation/reports").json()
    assert [i["public_id"] for i in queue["items"]] == [public_id]
    assert client.post(f"/api/v1/moderation/reports/{public_id}/approve").status_code == 200
    client.post("/api/v1/auth/logout")

    public = client.get("/api/v1/reports").json()
    [feature] = [f for f in public["features"] if f["id"] == public_id]
    lon, lat = feature["geometry"]["coordinates"]
    assert (lon, lat) != KIZILAY
    assert haversine_m(lon, lat, *KIZILAY) >= settings.displacement_min_m - 1
    assert feature["properties"]["text"] == "E2E: lamba yok"
    tracked = client.post("/api/v1/track", json={"code": created.json()["tracking_code"]}).json()
    assert tracked["status"] == "published"
    assert [e["text"] for e in tracked["timeline"] if e["kind"] == "status"][-1] == "published"


def test_an_acknowledged_report_is_already_committed(settings, engine):
    """The request's transaction commits before the 201 is sent (no rolled-back fixture here)."""
    server = LiveServer(settings)
    server.start()

    def slow_commit(session) -> None:
        # If the commit ran after the response, the check below would run before it.
        time.sleep(1.0)

    factory = server.app.state.session_factory
    event.listen(factory, "before_commit", slow_commit)
    try:
        response = httpx.post(f"{server.url}/api/v1/reports", json=report_payload(), timeout=30)
        assert response.status_code == 201
        public_id = response.json()["public_id"]
        # A separate connection sees it at once: it was committed, not merely flushed.
        with engine.connect() as conn:
            status = conn.execute(
                select(Report.status).where(Report.public_id == public_id)
            ).scalar_one()
            assert status.value == "pending"
    finally:
        event.remove(factory, "before_commit", slow_commit)
        server.stop()
        with engine.begin() as conn:
            conn.execute(delete(Report).where(Report.public_id == public_id))


def test_health_is_503_when_the_database_is_unreachable(settings):
    broken = settings.model_copy(
        update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    )
    server = LiveServer(broken)
    server.start()
    try:
        response = httpx.get(f"{server.url}/health", timeout=30)
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "database": False,
            "postgis": None,
            "replica": {"configured": False, "in_use": False, "lag_s": None, "reason": "unset"},
        }
    finally:
        server.stop()


def test_database_has_postgis_and_gist_indexes(engine):
    with engine.connect() as conn:
        gist = set(
            conn.execute(
                text(
                    "SELECT tablename || '.' || indexdef FROM pg_indexes "
                    "WHERE indexdef ILIKE '%USING gist%'"
                )
            ).scalars()
        )
    joined = " ".join(gist)
    for column in ("mahalle.", "report.", "service_point."):
        assert column in joined
    assert "(location)" in joined and "(public_location)" in joined and "(geom)" in joined
