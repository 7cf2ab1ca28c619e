"""`morharita demo`'s example audit walks: loaded once, marked as examples, and enough
published points in one mahalle that the public layer and the audit indicators show them."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo.load import load_demo
from app.demo.walks import EXAMPLE_POINTS, EXAMPLE_WALKS
from app.models import AuditPoint, AuditWalk, Role, WalkStatus
from tests.support.dates import month_end, month_start
from tests.support.factories import login, make_user


def test_the_demo_loads_example_walks_once(client, db, settings):
    lines = load_demo(db, settings)
    assert any(
        line.startswith("Example audit walks in Çankaya: 3 published, 1 waiting") for line in lines
    )
    again = load_demo(db, settings)
    assert any("already loaded" in line and "EXAMPLES" in line for line in again)

    walks = db.scalars(select(AuditWalk)).all()
    assert len(walks) == len(EXAMPLE_WALKS) == 4  # the second run added none
    assert all(w.is_example for w in walks)
    assert sorted(w.status.value for w in walks) == ["published"] * 3 + ["submitted"]
    points = db.scalar(select(func.count()).select_from(AuditPoint))
    assert points == 3 * EXAMPLE_POINTS + (EXAMPLE_POINTS - 3)
    notes = db.scalars(select(AuditPoint.note)).all()
    assert all(n.startswith("ÖRNEK yürüyüş (demo verisi)") for n in notes)

    # The public layer: points of the published walks only, in mahalle that pass k, each
    # marked as an example; never the note.
    layer = client.get("/api/v1/audits/points").json()["features"]
    assert len(layer) >= settings.k_threshold
    assert all(f["properties"]["example"] is True for f in layer)
    assert "note" not in str(layer) and "ÖRNEK" not in str(layer)
    published_ids = select(AuditWalk.id).where(AuditWalk.status == WalkStatus.published)
    published = db.scalar(select(func.count()).where(AuditPoint.walk_id.in_(published_ids)))
    assert len(layer) <= published

    # The dashboard's audit indicators: at least one mahalle with its protected count.
    planner = make_user(db, settings, Role.planner, ["ankara"])
    login(client, planner)
    period = {"since": month_start(2).isoformat(), "until": month_end(0).isoformat()}
    rows = client.get("/api/v1/planner/indicators", params=period).json()["features"]
    audited = [f["properties"] for f in rows if f["properties"].get("audit_points")]
    assert audited and max(r["audit_points"] for r in audited) >= settings.k_threshold
    assert all(r["audit_score"] is not None for r in audited if not r["audit_points_suppressed"])

    # The moderators' queue names the pending one as an example.
    volunteer = make_user(db, settings, Role.moderator, ["cankaya"])
    login(client, volunteer)
    queue = client.get("/api/v1/audits/walks", params={"status": "submitted"}).json()["walks"]
    assert len(queue) == 1 and queue[0]["is_example"] is True
