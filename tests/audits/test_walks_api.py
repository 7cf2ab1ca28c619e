"""Audit walks over HTTP: record, submit, moderate; indicators and exports protected."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pyogrio
import pytest
from PIL import Image
from sqlalchemy import func, select

from app.models import AuditPhoto, AuditPoint, AuditWalk, ModerationEvent, Role
from app.services.audits import TRANSITIONS
from tests.audits.audit_support import (
    SCORES,
    add_points,
    mahalle_code,
    point_body,
    start_walk,
    walk_body,
)
from tests.support.citizen_support import jpeg_with_metadata
from tests.support.dates import month_end, month_start
from tests.support.factories import KIZILAY, login, make_user

PERIOD = {"since": month_start(1).isoformat(), "until": month_end(0).isoformat()}
YENIMAHALLE = (32.7, 39.97)  # a Yenimahalle mahalle of the base data


def _planner_rows(client) -> dict[str, dict]:
    response = client.get("/api/v1/planner/indicators", params=PERIOD)
    assert response.status_code == 200, response.text
    return {f["properties"]["code"]: f["properties"] for f in response.json()["features"]}


def test_transitions_are_as_written_here():
    got = {a: (sorted(s.value for s in t.allowed_from), t.to.value) for a, t in TRANSITIONS.items()}
    assert got == {
        "submit": (["recording"], "submitted"),
        "approve": (["submitted"], "published"),
        "reject": (["submitted"], "rejected"),
    }


def test_full_path_record_submit_moderate_indicators_exports(client, db, settings, tmp_path):
    code = mahalle_code(db, *KIZILAY)
    recorder = make_user(db, settings, Role.moderator, ["cankaya"])
    reviewer = make_user(db, settings, Role.moderator, ["cankaya"])
    login(client, recorder)
    walk = start_walk(client, code)
    add_points(client, walk, *KIZILAY, 6, lighting=0)
    # A retry of a point already stored (same client id) stores nothing new.
    again = point_body(*KIZILAY, client_id="pt-retry")
    assert client.post(f"/api/v1/audits/walks/{walk}/points", json=again).status_code == 201
    assert client.post(f"/api/v1/audits/walks/{walk}/points", json=again).status_code == 200
    detail = client.get(f"/api/v1/audits/walks/{walk}").json()
    assert detail["points"] == 7 and detail["status"] == "recording"

    # Nothing counts before approval.
    planner = make_user(db, settings, Role.planner, ["cankaya"])
    with client.stream("GET", "/api/v1/audits/points") as r:
        assert r.status_code == 200
    assert client.get("/api/v1/audits/points").json()["features"] == []

    assert client.post(f"/api/v1/audits/walks/{walk}/submit").json()["status"] == "submitted"
    # Points are added only while recording; the recorder cannot approve her own walk.
    late = client.post(f"/api/v1/audits/walks/{walk}/points", json=point_body(*KIZILAY))
    assert late.status_code == 409, late.text
    own = client.post(f"/api/v1/audits/walks/{walk}/approve", json={})
    assert own.status_code == 403 and "another volunteer" in own.json()["error"]["message"]

    login(client, reviewer)
    queue = client.get("/api/v1/audits/walks", params={"status": "submitted"}).json()["walks"]
    assert [w["id"] for w in queue] == [walk]
    assert len(queue[0]["point_list"]) == 7  # the reviewer sees what she approves
    approved = client.post(f"/api/v1/audits/walks/{walk}/approve", json={"note": "ok"})
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    event = db.scalar(select(ModerationEvent).where(ModerationEvent.action == "audit_walk.approve"))
    assert event is not None and event.actor_id == reviewer.id and event.after["walk"] == walk

    # The planner's indicators: 7 points (identity perturbation table in tests), the means.
    login(client, planner)
    row = _planner_rows(client)[code]
    assert row["audit_points"] == 7 and row["audit_points_suppressed"] is False
    assert row["audit_lighting"] == pytest.approx((0 * 6 + 1) / 7, abs=0.01)
    assert row["audit_walk_path"] == 3.0
    expected_means = {p: (s * 6 + SCORES[p]) / 7 for p, s in {**SCORES, "lighting": 0}.items()}
    assert row["audit_score"] == pytest.approx(sum(expected_means.values()) / 9, abs=0.01)

    # Exports carry the same protected values, and the definitions sheet names them.
    gj = client.get("/api/v1/planner/exports/indicators", params={**PERIOD, "format": "geojson"})
    feature = next(f for f in gj.json()["features"] if f["properties"]["code"] == code)
    assert feature["properties"]["audit_points"] == 7
    gpkg = client.get("/api/v1/planner/exports/indicators", params={**PERIOD, "format": "gpkg"})
    path = tmp_path / "indicators.gpkg"
    path.write_bytes(gpkg.content)
    frame = pyogrio.read_dataframe(path, layer="indicators")
    assert int(frame.loc[frame["code"] == code, "audit_points"].iloc[0]) == 7
    definitions = pyogrio.read_dataframe(path, layer="definitions", read_geometry=False)
    assert {"audit_points", "audit_score", "audit_feeling"} <= set(definitions["code"])
    csv_zip = client.get("/api/v1/planner/exports/indicators", params={**PERIOD, "format": "csv"})
    with zipfile.ZipFile(io.BytesIO(csv_zip.content)) as z:
        name = next(n for n in z.namelist() if n.endswith(".csv") and "definition" not in n)
        table = pd.read_csv(z.open(name))
    assert int(table.loc[table["code"] == code, "audit_points"].iloc[0]) == 7

    # The public layer: displaced points, scores only, no exact coordinate, no note.
    public = client.get("/api/v1/audits/points").json()
    assert len(public["features"]) == 7
    exact = {
        (round(x, 6), round(y, 6))
        for x, y in db.execute(
            select(func.ST_X(AuditPoint.location), func.ST_Y(AuditPoint.location))
        )
    }
    shown = {tuple(f["geometry"]["coordinates"]) for f in public["features"]}
    assert not shown & exact
    text = json.dumps(public)
    assert "note" not in text and "client_id" not in text and "walked_on" not in text


def test_means_of_fewer_than_k_points_are_withheld(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    walk = start_walk(client, code)
    add_points(client, walk, *KIZILAY, 3)
    client.post(f"/api/v1/audits/walks/{walk}/submit")
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    assert client.post(f"/api/v1/audits/walks/{walk}/approve", json={}).status_code == 200
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    row = _planner_rows(client)[code]
    assert row["audit_points"] is None and row["audit_points_suppressed"] is True
    assert row["audit_score"] is None and row["audit_score_suppressed"] is True
    assert row["audit_lighting"] is None
    # And the public map shows no point of a mahalle with fewer than k approved points.
    assert client.get("/api/v1/audits/points").json()["features"] == []


def test_rejected_walks_never_count(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    walk = start_walk(client, code)
    add_points(client, walk, *KIZILAY, 6)
    client.post(f"/api/v1/audits/walks/{walk}/submit")
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    bad = client.post(f"/api/v1/audits/walks/{walk}/reject", json={"reason": "spam"})
    assert bad.status_code == 422
    rejected = client.post(f"/api/v1/audits/walks/{walk}/reject", json={"reason": "incomplete"})
    assert (
        rejected.json()["status"] == "rejected" and rejected.json()["reject_reason"] == "incomplete"
    )
    again = client.post(f"/api/v1/audits/walks/{walk}/approve", json={})
    assert again.status_code == 409 and "rejected" in again.json()["error"]["message"]
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    assert _planner_rows(client)[code]["audit_points"] == 0
    assert client.get("/api/v1/audits/points").json()["features"] == []


def test_notes_are_flagged_for_personal_data(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    walk = start_walk(client, code)
    body = point_body(*KIZILAY, note="Bekçi 0532 123 45 67 numarasını verdi.")
    point = client.post(f"/api/v1/audits/walks/{walk}/points", json=body).json()
    assert point["note_hints"] == ["phone"]
    detail = client.get(f"/api/v1/audits/walks/{walk}").json()
    assert detail["note_hints"] == ["phone"]


def test_photo_is_reencoded_without_metadata_and_staff_only(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    walk = start_walk(client, code)
    original = jpeg_with_metadata()
    response = client.post(
        f"/api/v1/audits/walks/{walk}/points",
        data={"point": json.dumps(point_body(*KIZILAY))},
        files={"photo": ("p.jpg", original, "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    url = response.json()["photo"]
    stored = db.scalar(select(AuditPhoto.content))
    assert b"SecretCameraMaker" in original and b"SecretCameraMaker" not in stored
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
    served = client.get(url)
    assert served.status_code == 200 and served.content == stored
    assert served.headers["cache-control"] == "no-store"
    login(client, make_user(db, settings, Role.moderator, ["yenimahalle"]))
    assert client.get(url).status_code == 404
    client.cookies.clear()
    assert client.get(url).status_code == 401
    # A file that is not an image is refused with a message, not a 500.
    junk = client.post(
        f"/api/v1/audits/walks/{walk}/points",
        data={"point": json.dumps(point_body(*KIZILAY))},
        files={"photo": ("p.jpg", b"not an image", "image/jpeg")},
    )
    assert junk.status_code == 401  # logged out above: nothing is stored anonymously


def test_bad_input_is_refused_with_a_message(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    r = client.post(
        "/api/v1/audits/walks",
        json={
            "mahalle_code": "nope",
            "walked_on": "2026-11-01",
            "time_band": "day",
            "group_size": 3,
        },
    )
    assert r.status_code == 422 and "mahalle" in r.json()["error"]["message"].lower()
    walk = start_walk(client, code)
    bad = point_body(*KIZILAY, scores={**SCORES, "lighting": 4})
    r = client.post(f"/api/v1/audits/walks/{walk}/points", json=bad)
    assert r.status_code == 422
    r = client.post(f"/api/v1/audits/walks/{walk}/points", json=point_body(10.0, 10.0))
    assert r.status_code == 422 and "outside" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/audits/walks/{walk}/submit")
    assert r.status_code == 422 and "at least one" in r.json()["error"]["message"]
    junk = client.post(
        f"/api/v1/audits/walks/{walk}/points",
        data={"point": json.dumps(point_body(*KIZILAY))},
        files={"photo": ("p.jpg", b"not an image", "image/jpeg")},
    )
    assert junk.status_code == 422 and "JPEG" in junk.json()["error"]["message"]
    assert client.get("/api/v1/audits/walks/not-a-uuid").status_code == 404


def test_a_start_sent_again_gives_back_the_same_walk(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    volunteer = make_user(db, settings, Role.moderator, ["cankaya"])
    login(client, volunteer)
    body = walk_body(code, client_id="local-3f2c")
    first = client.post("/api/v1/audits/walks", json=body)
    again = client.post("/api/v1/audits/walks", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    other = client.post("/api/v1/audits/walks", json=walk_body(code, client_id="local-9a1b"))
    plain = client.post("/api/v1/audits/walks", json=walk_body(code))
    assert other.status_code == 201 and plain.status_code == 201
    assert len({first.json()["id"], other.json()["id"], plain.json()["id"]}) == 3
    # Another volunteer's phone may use the same id: hers is her own walk.
    client.post("/api/v1/auth/logout")
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    hers = client.post("/api/v1/audits/walks", json=body)
    assert hers.status_code == 201 and hers.json()["id"] != first.json()["id"]
    assert db.scalar(select(func.count()).select_from(AuditWalk)) == 4
    too_long = client.post("/api/v1/audits/walks", json=walk_body(code, client_id="x" * 65))
    assert too_long.status_code == 422 and "client_id" in too_long.text


def test_planner_cannot_record_walks(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    r = client.post(
        "/api/v1/audits/walks",
        json={"mahalle_code": code, "walked_on": "2026-11-01", "time_band": "day", "group_size": 3},
    )
    assert r.status_code == 403
    assert client.get("/api/v1/audits/walks").status_code == 403


def test_staff_of_another_municipality_are_refused_on_every_route(client, db, settings):
    code = mahalle_code(db, *KIZILAY)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    walk = start_walk(client, code)
    add_points(client, walk, *KIZILAY, 1)
    point = client.get(f"/api/v1/audits/walks/{walk}").json()["point_list"][0]
    other = make_user(db, settings, Role.moderator, ["yenimahalle"])
    login(client, other)
    base = f"/api/v1/audits/walks/{walk}"
    calls = [
        ("GET", base, None),
        ("POST", f"{base}/points", point_body(*KIZILAY)),
        ("POST", f"{base}/submit", None),
        ("POST", f"{base}/approve", {}),
        ("POST", f"{base}/reject", {"reason": "other"}),
    ]
    for method, path, body in calls:
        r = client.request(method, path, json=body)
        assert r.status_code == 404, (method, path, r.text)
        assert str(point["location"]["lon"]) not in r.text
    assert client.get("/api/v1/audits/walks").json()["walks"] == []
    # Nor can she record a walk in Çankaya's mahalle, or a point outside her municipality.
    r = client.post(
        "/api/v1/audits/walks",
        json={"mahalle_code": code, "walked_on": "2026-11-01", "time_band": "day", "group_size": 3},
    )
    assert r.status_code == 403 and "municipality" in r.json()["error"]["message"]
    mine = start_walk(client, mahalle_code(db, *YENIMAHALLE))
    r = client.post(f"/api/v1/audits/walks/{mine}/points", json=point_body(*KIZILAY))
    assert r.status_code == 422 and "municipality you do not hold" in r.json()["error"]["message"]
