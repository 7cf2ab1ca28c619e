"""Interventions: recorded by the equality unit only, audited, and compared before/after
against similar mahalle with protected counts (difference in differences, hand-computed)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest
from geoalchemy2.shape import from_shape
from shapely.geometry import Point
from sqlalchemy import func, select

from app.models import Mahalle, ModerationEvent, ReportStatus, Role
from app.services.clock import LOCAL_TZ
from app.services.reference import mahalle_at
from tests.monitoring.support import build_plan
from tests.support.factories import KIZILAY, login, make_report, make_user

# The app's "today" is Istanbul's (after 21:00 UTC it is already tomorrow there).
TODAY = datetime.now(LOCAL_TZ).date()
DAYS = 60  # completed 60 days ago; a 2-month window is then 60 days each side


def _body(**overrides) -> dict:
    body = {
        "code": "LAMBA-1",
        "kind": "lighting",
        "title_tr": "Kızılay'da aydınlatma yenilendi",
        "title_en": "Lighting renewed in Kızılay",
        "completed_on": (TODAY - timedelta(days=DAYS)).isoformat(),
        "item": "1.1.1",
        "geometry": {"type": "Point", "coordinates": list(KIZILAY)},
        "radius_m": 300,
        "category_groups": ["lighting"],
    }
    body.update(overrides)
    return body


def _published(db, settings, lon, lat, days_ago, category="dark_street", status=None):
    report, _ = make_report(
        db,
        settings,
        lon=lon,
        lat=lat,
        status=status or ReportStatus.published,
        category=category,
        occurred_on=(TODAY - timedelta(days=days_ago)).isoformat(),
    )
    # Pinned to a known public point, so which reports fall within the radius is certain.
    report.public_location = from_shape(Point(lon, lat), srid=4326)
    db.flush()
    return report


@pytest.fixture
def world(client, db, settings):
    world = build_plan(db, settings)
    login(client, world.planner)
    created = client.post("/api/v1/plans/YEEP-TEST/interventions", json=_body())
    assert created.status_code == 201, created.text
    client.cookies.clear()
    return world


def _effect(client, window=2):
    answer = client.get(f"/api/v1/plans/YEEP-TEST/interventions/LAMBA-1?window={window}")
    assert answer.status_code == 200, answer.text
    return answer.json()["effect"]


def test_difference_in_differences_is_computed_from_the_counts(client, db, settings, world):
    first = _effect(client)
    assert first["state"] == "ok" and first["difference_in_differences"] == 0  # no reports
    assert first["before"] == [
        (TODAY - timedelta(days=2 * DAYS)).isoformat(),
        (TODAY - timedelta(days=DAYS)).isoformat(),
    ]
    names = first["comparison"]["mahalle"]
    assert len(names) == 8 and first["comparison"]["matched_on"] == "women_density"
    own = mahalle_at(db, *KIZILAY)
    assert own.name not in names
    comparison = list(db.scalars(select(Mahalle).where(Mahalle.name.in_(names))))
    other = comparison[0]
    spot = db.scalar(
        select(func.ST_AsText(func.ST_PointOnSurface(Mahalle.geom))).where(Mahalle.id == other.id)
    )
    lon, lat = (float(v) for v in spot.removeprefix("POINT(").rstrip(")").split())
    for days_ago in range(DAYS + 1, DAYS + 11):  # 10 near before
        _published(db, settings, KIZILAY[0], KIZILAY[1], days_ago)
    for days_ago in range(1, 6):  # 5 near after
        _published(db, settings, KIZILAY[0] + 0.001, KIZILAY[1], days_ago)
    for days_ago in range(DAYS + 1, DAYS + 9):  # 8 comparison before
        _published(db, settings, lon, lat, days_ago)
    for days_ago in range(1, 17):  # 16 comparison after
        _published(db, settings, lon, lat, days_ago)
    # None of these may count: another group, unpublished, too far, outside the windows.
    _published(db, settings, KIZILAY[0], KIZILAY[1], 3, category="verbal_harassment")
    _published(db, settings, KIZILAY[0], KIZILAY[1], 3, status=ReportStatus.pending)
    _published(db, settings, KIZILAY[0], KIZILAY[1] - 0.004, 3)  # ~445 m away
    _published(db, settings, KIZILAY[0], KIZILAY[1], 2 * DAYS + 5)

    effect = _effect(client)
    assert effect["state"] == "ok"
    near, comp = effect["near"], effect["comparison"]
    assert comp["mahalle"] == names  # matching does not depend on the reports
    assert near["area_km2"] == pytest.approx(math.pi * 0.3**2, rel=0.01)
    assert comp["area_km2"] == pytest.approx(sum(m.area_km2 for m in comparison), abs=0.001)
    assert (near["before"]["reports"], near["after"]["reports"]) == (10, 5)
    assert (comp["before"]["reports"], comp["after"]["reports"]) == (8, 16)
    months = DAYS / 30.4375
    near_change = (5 - 10) / near["area_km2"] / months
    comp_change = (16 - 8) / comp["area_km2"] / months
    assert near["change"] == pytest.approx(near_change, rel=0.005)
    assert effect["difference_in_differences"] == pytest.approx(
        near_change - comp_change, rel=0.005
    )
    assert effect["difference_in_differences"] < 0


def test_small_counts_are_withheld_and_so_is_the_estimate(client, db, settings, world):
    for days_ago in range(DAYS + 1, DAYS + 8):
        _published(db, settings, KIZILAY[0], KIZILAY[1], days_ago)
    for days_ago in (1, 2, 3):  # 3 after: below k = 5
        _published(db, settings, KIZILAY[0], KIZILAY[1], days_ago)
    effect = _effect(client)
    assert effect["near"]["before"]["reports"] == 7
    assert effect["near"]["after"] == {"reports": None, "suppressed": True, "per_km2_month": None}
    assert effect["state"] == "withheld" and effect["difference_in_differences"] is None
    page = client.get("/plans/YEEP-TEST/interventions/LAMBA-1")
    assert page.status_code == 200
    assert "Karşılaştırmak için çok az bildirim var" in page.text


def test_too_early_to_compare(client, db, settings):
    world = build_plan(db, settings)
    login(client, world.planner)
    body = _body(completed_on=(TODAY - timedelta(days=10)).isoformat())
    assert client.post("/api/v1/plans/YEEP-TEST/interventions", json=body).status_code == 201
    assert _effect(client)["state"] == "too_early"


def test_only_the_equality_unit_records_and_every_change_is_audited(client, db, settings):
    world = build_plan(db, settings)
    url = "/api/v1/plans/YEEP-TEST/interventions"
    assert client.post(url, json=_body()).status_code == 401
    for outsider in (
        make_user(db, settings, Role.planner, ["yenimahalle"]),
        make_user(db, settings, Role.moderator, ["cankaya"]),
        world.monitor,
        world.reporter,
    ):
        login(client, outsider)
        refused = client.post(url, json=_body())
        assert refused.status_code == 403, (outsider.role, refused.text)
        client.cookies.clear()
    login(client, world.planner)
    assert client.post(url, json=_body()).status_code == 201
    changed = client.patch(f"{url}/LAMBA-1", json={"radius_m": 600, "title_en": "Lamps"})
    assert changed.status_code == 200 and changed.json()["radius_m"] == 600
    client.cookies.clear()
    login(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    assert client.patch(f"{url}/LAMBA-1", json={"radius_m": 900}).status_code == 403
    events = db.scalars(
        select(ModerationEvent)
        .where(ModerationEvent.action.like("monitoring.intervention.%"))
        .order_by(ModerationEvent.id)
    ).all()
    assert [e.action for e in events] == [
        "monitoring.intervention.create",
        "monitoring.intervention.update",
    ]
    assert events[1].before == {"radius_m": 300, "title_en": "Lighting renewed in Kızılay"}
    assert events[1].after == {"radius_m": 600, "title_en": "Lamps"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"geometry": {"type": "Point", "coordinates": [29.0, 41.0]}}, "geometry"),  # İstanbul
        ({"geometry": {"type": "Point", "coordinates": [200.0, 41.0]}}, "geometry"),
        ({"geometry": {"type": "LineString", "coordinates": [[32.85, 39.92]]}}, "geometry"),
        ({"geometry": None}, "geometry"),
        ({"radius_m": 100}, "radius_m"),
        ({"item": "1"}, "item"),  # a theme
        ({"item": "9.9"}, "item"),
        ({"mahalle": "no-such-mahalle", "geometry": None}, "mahalle"),
        ({"completed_on": "2026-13-01"}, "completed_on"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(client, db, settings, overrides, field):
    world = build_plan(db, settings)
    login(client, world.planner)
    refused = client.post("/api/v1/plans/YEEP-TEST/interventions", json=_body(**overrides))
    assert refused.status_code in (400, 422), refused.text
    assert field in refused.text
    assert client.get("/api/v1/plans/YEEP-TEST/interventions").json()["interventions"] == []


def test_a_duplicate_code_conflicts(client, db, settings, world):
    login(client, world.planner)
    again = client.post("/api/v1/plans/YEEP-TEST/interventions", json=_body())
    assert again.status_code == 409 and "LAMBA-1" in again.text


def test_hidden_interventions_are_for_the_municipality_only(client, db, settings, world):
    login(client, world.planner)
    url = "/api/v1/plans/YEEP-TEST/interventions"
    assert client.patch(f"{url}/LAMBA-1", json={"is_public": False}).status_code == 200
    assert [i["code"] for i in client.get(url).json()["interventions"]] == ["LAMBA-1"]
    client.cookies.clear()
    assert client.get(url).json()["interventions"] == []
    assert client.get(f"{url}/LAMBA-1").status_code == 404
    assert client.get("/plans/YEEP-TEST/interventions/LAMBA-1").status_code == 404
    login(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    assert client.get(f"{url}/LAMBA-1").status_code == 404


def test_the_pages_show_it_in_turkish_and_english(client, db, settings, world):
    plan_page = client.get("/plans/YEEP-TEST").text
    assert "Uygulamalar" in plan_page
    assert 'href="/plans/YEEP-TEST/interventions/LAMBA-1"' in plan_page
    page = client.get("/plans/YEEP-TEST/interventions/LAMBA-1")
    assert page.status_code == 200
    assert "Kızılay&#39;da aydınlatma yenilendi" in page.text
    assert "Dikkatle okuyun" in page.text and "intervention-data" in page.text
    english = client.get("/plans/YEEP-TEST/interventions/LAMBA-1?lang=en").text
    assert "Lighting renewed in Kızılay" in english and "Read with care" in english
    assert client.get("/plans/YEEP-TEST/interventions/NOPE").status_code == 404
