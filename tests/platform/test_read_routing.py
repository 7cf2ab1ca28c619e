"""Read routing without a replica: the settings, the routes that declare it, the health."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from app.api.deps import get_db, get_public_read_db
from app.config import Settings
from app.replica import judge_standby

# Public GET routes that read the database. Each must read through PublicReadSession, so a
# replica serves it; /health asks the primary on purpose.
PUBLIC_READS = {
    "/",
    "/m/{code}",
    "/track",
    "/plans",
    "/plans/{code}",
    "/api/v1/categories",
    "/api/v1/municipalities",
    "/api/v1/reports",
    "/api/v1/reports/nearby",
    "/api/v1/indicators",
    "/api/v1/photos/{photo_id}",
    "/api/v1/mahalle",
    "/api/v1/area",
    "/api/v1/services",
    "/api/v1/services/nearest",
    "/api/v1/plans",
    "/api/v1/plans/{code}",
    "/api/v1/plans/{code}/data.csv",
    "/api/v1/plans/{code}/data.json",
    "/api/v1/plans/{code}/data.geojson",
    "/api/v1/plans/{code}/reports",
    "/api/v1/assessments/{assessment_id}",
    "/api/v1/evidence/{evidence_id}",
    "/api/v1/monitoring-reports/{report_id}.html",
    "/api/v1/monitoring-reports/{report_id}.pdf",
    "/plans/compare",
    "/plans/{code}/interventions/{intervention}",
    "/api/v1/plans/compare",
    "/api/v1/plans/targets",
    "/api/v1/plans/{code}/interventions",
    "/api/v1/plans/{code}/interventions/{intervention}",
    "/api/v1/audits/points",
    "/api/v1/audits/tiles/{z}/{y}/{x}",
    "/open311/v2/services.{fmt}",
    "/open311/v2/services/{code}.{fmt}",
    "/open311/v2/requests.{fmt}",
    "/open311/v2/requests/{public_id}.{fmt}",
    "/feeds/{municipality}.atom",
    "/ogc",
    "/ogc/conformance",
    "/ogc/api",
    "/ogc/collections",
    "/ogc/collections/{collection_id}",
    "/ogc/collections/{collection_id}/items",
    "/ogc/collections/{collection_id}/items/{feature_id:path}",
    "/ogc/collections/{collection_id}/tiles",
    "/ogc/collections/{collection_id}/tiles/{tms_id}",
    "/ogc/collections/{collection_id}/tiles/{tms_id}/{z}/{y}/{x}",
    "/feeds/{municipality}/{mahalle:path}.atom",
}


def _calls(dependant) -> list:
    found = [dependant.call]
    if dependant.call is get_public_read_db:
        return found  # it holds the primary session for staff: not a read of its own
    for sub in dependant.dependencies:
        found.extend(_calls(sub))
    return found


def _own_session(route):
    """The session dependency the route (or a dependency of it) declares for its own reads."""
    calls = []
    for sub in route.dependant.dependencies:
        if sub.call.__name__ in ("optional_user", "ogc_viewer"):
            continue  # the viewer's own look-up (cookie or token): staff, on the primary
        calls.extend(_calls(sub))
    return {c for c in calls if c in (get_db, get_public_read_db)}


def test_every_public_read_goes_through_the_public_read_session(server):
    routes = {}
    for route in server.app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for ctx in contexts:
            if "GET" in (getattr(ctx, "methods", None) or ()) and hasattr(ctx, "dependant"):
                routes[ctx.path] = ctx
    assert routes.keys() >= PUBLIC_READS
    for path in sorted(PUBLIC_READS):
        assert _own_session(routes[path]) == {get_public_read_db}, path
    assert _own_session(routes["/health"]) == {get_db}


def test_without_a_replica_health_says_so(client):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["replica"] == {
        "configured": False,
        "in_use": False,
        "lag_s": None,
        "reason": "unset",
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "DATABASE_REPLICA_URL must be a PostgreSQL URL"),
        ("postgresql://u@h:notaport/db", "DATABASE_REPLICA_URL is not a valid URL"),
        ("postgresql://u@primary/db", "DATABASE_REPLICA_URL is the same as DATABASE_URL"),
    ],
)
def test_a_wrong_replica_url_is_refused_at_startup(url, message):
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, DATABASE_URL="postgresql://u@primary/db", DATABASE_REPLICA_URL=url)
    assert message in str(refused.value)


def test_a_replica_url_takes_the_psycopg_driver():
    settings = Settings(
        _env_file=None,
        DATABASE_URL="postgresql://u@primary/db",
        DATABASE_REPLICA_URL="postgres://u@standby/db",
    )
    assert settings.database_replica_url == "postgresql+psycopg://u@standby/db"


def _row(standby=True, streaming=True, received=100.0, replayed=100.0, age_s=3600.0):
    return SimpleNamespace(
        standby=standby, streaming=streaming, received=received, replayed=replayed, age_s=age_s
    )


def test_an_idle_primary_does_not_look_like_lag():
    # Nothing written for an hour: the last replayed transaction is old, the standby is not.
    assert judge_standby(_row(received=120.0, replayed=110.0), 100.0, 10, 0).usable
    # Still not replayed what it had received at the previous check: behind by that age.
    stuck = judge_standby(_row(received=120.0, replayed=110.0, age_s=30), 115.0, 10, 0)
    assert (stuck.usable, stuck.lag_s, stuck.reason) == (False, 30.0, "lagging: 30.0 s behind")
    assert judge_standby(_row(received=120.0, replayed=110.0, age_s=5), 115.0, 10, 0).usable
    promoted = judge_standby(_row(standby=False), None, 10, 0)
    assert (promoted.usable, promoted.reason) == (False, "not a standby (promoted?)")
    cut_off = judge_standby(_row(streaming=False, age_s=60), 100.0, 10, 0)
    assert (cut_off.usable, cut_off.reason) == (False, "not streaming: 60.0 s behind")
