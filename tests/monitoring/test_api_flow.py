"""A plan's life over HTTP: observations, review, publication, the public tree with
on-track status, the open-sdg CSV; and computed values equal to the planners' own API."""

from __future__ import annotations

import csv
import io
import math

from app.models import ReportStatus
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import login, make_report

PLAN = "/api/v1/plans/YEEP-TEST"


def _field(response) -> str:
    return response.json()["error"]["fields"][0]["field"]


def _move(client, *states):
    for state in states:
        response = client.post(f"{PLAN}/periods/{YEAR}/state", json={"state": state})
        assert response.status_code == 200, response.text


def _indicator(detail, code):
    def walk(nodes):
        for node in nodes:
            for indicator in node["indicators"]:
                if indicator["code"] == code:
                    return indicator
            found = walk(node["children"])
            if found:
                return found
        return None

    return walk(detail["items"])


def test_publish_a_period_and_read_it_as_the_public(client, db, settings):
    world = build_plan(db, settings)
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)
    login(client, world.reporter)
    response = client.post(
        f"{PLAN}/indicators/G2/observations",
        json={"period": str(YEAR), "value": 200, "state": "final"},
    )
    assert response.status_code == 201, response.text
    bad = client.post(
        f"{PLAN}/items/1.1.1/updates", json={"period": str(YEAR), "status": "done", "progress": 120}
    )
    assert bad.status_code == 422 and "progress" in bad.text
    client.cookies.clear()
    login(client, world.planner)
    _move(client, "collecting", "under_review")
    planner_values = client.get(
        "/api/v1/planner/indicators",
        params={
            "municipality": "cankaya",
            "since": f"{YEAR}-01-01",
            "until": f"{YEAR}-12-31",
            "group": "lighting",
        },
    ).json()
    (mahalle,) = [
        f["properties"] for f in planner_values["features"] if f["id"] == world.mahalle_code
    ]
    staff = client.get(PLAN).json()
    g1 = _indicator(staff, "G1")
    headline = [o for o in g1["observations"] if not o["disaggregation"]]
    assert headline[0]["value"] == mahalle["reports_per_1000_women"]
    late = client.post(f"{PLAN}/indicators/G2/observations", json={"period": str(YEAR), "value": 1})
    assert late.status_code == 422 and _field(late) == "period"
    _move(client, "published")

    client.cookies.clear()
    del client.headers["X-CSRF-Token"]
    public = client.get(PLAN).json()
    g2 = _indicator(public, "G2")
    # 100 (end of last year) -> 200 (end of this year), target 400 three years on:
    # observed ln 2 / 1 = 0.6931, required ln 4 / 3 = 0.4621, R = 1.5: on track.
    assert g2["progress_status"] == "substantial_progress"
    assert math.isclose(g2["ratio"], 1.5, abs_tol=1e-3)
    assert _indicator(public, "G1")["observations"]
    export = client.get(f"{PLAN}/data.csv")
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert {"Indicator", "Year", "Units", "GeoCode", "Value"} <= set(rows[0])
    g2_rows = [r for r in rows if r["Indicator"] == "G2"]
    assert g2_rows == [
        {
            "Indicator": "G2",
            "Year": str(YEAR),
            "PeriodStart": f"{YEAR}-01-01",
            "PeriodEnd": f"{YEAR}-12-31",
            "Units": "count",
            "Mahalle": "",
            "GeoCode": "",
            "Value": "200.0",
            "State": "final",
            "Suppressed": "false",
        }
    ]
    assert any(r["GeoCode"] == world.mahalle_code for r in rows if r["Indicator"] == "G1")
    data = client.get(f"{PLAN}/data.json").json()
    assert len(data["data"]) == len(rows)


def test_bad_input_names_the_field_over_http(client, db, settings):
    world = build_plan(db, settings)
    login(client, world.planner)
    cycle = client.patch(f"{PLAN}/items/1.1", json={"parent": "1.1.T"})
    assert cycle.status_code == 422 and _field(cycle) == "parent"
    no_baseline = client.post(
        f"{PLAN}/indicators",
        json={
            "code": "G7",
            "item": "1.1.T",
            "name_tr": "x",
            "unit": "count",
            "level": "output",
            "source": "manual",
            "target_value": 5,
            "target_period": YEAR + 2,
        },
    )
    assert no_baseline.status_code == 422
    assert _field(no_baseline) == "baseline_period"
    wrong_state = client.post(f"{PLAN}/state", json={"state": "draft"})
    assert wrong_state.status_code == 409
    assert client.get(PLAN).json()["state"] == "in_force"
