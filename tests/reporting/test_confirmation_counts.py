"""A report's "me too" count in public is a protected count (docs/privacy.md): an attacker
who adds one "me too" cannot tell from anything public whether she is the only one, and
counts of k and more are perturbed by the cell key of the confirmations' record keys."""

from __future__ import annotations

import pytest
from geoalchemy2.shape import to_shape
from sqlalchemy import text

from app.models import ReportStatus
from tests.support.cell_key_support import SHIPPED, perturbing_client, perturbing_live_server
from tests.support.factories import make_report

__all__ = ["perturbing_client", "perturbing_live_server"]

K = 5  # the test settings' k
CONSENT = {"consent": True, "consent_version": "2026-11-v1"}


def public_outputs(http, report) -> dict:
    """Everything public that carries the report's count: the map's points and "me too"."""
    point = to_shape(report.public_location)
    features = http.get("/api/v1/reports").json()["features"]
    (feature,) = [f for f in features if f["properties"]["public_id"] == report.public_id]
    nearby = http.get(
        "/api/v1/reports/nearby",
        params={"lon": point.x, "lat": point.y, "category": "dark_street"},
    ).json()["items"]
    (item,) = [i for i in nearby if i["public_id"] == report.public_id]
    # The OGC API builds its features in SQL: the same rule, written there, must agree.
    ogc = http.get(f"/ogc/collections/reports/items/{report.public_id}?f=json")
    assert ogc.status_code == 200, ogc.text
    page = http.get("/ogc/collections/reports/items?f=json&limit=1000").json()["features"]
    (listed,) = [f for f in page if f["id"] == report.public_id]
    return {
        "point": feature["properties"],
        "nearby": item,
        "ogc": _counts(ogc.json()["properties"]),
        "ogc_page": _counts(listed["properties"]),
    }


def _counts(props: dict) -> dict:
    return {k: props[k] for k in ("confirmations", "confirmations_suppressed")}


def test_one_me_too_cannot_be_told_from_two(perturbing_client, db, settings):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    db.refresh(report)
    url = f"/api/v1/reports/{report.public_id}/confirmations"
    before = public_outputs(perturbing_client, report)
    assert before["point"]["confirmations"] == 0  # none is shown as none
    # The attacker says "me too" once, and looks.
    mine = perturbing_client.post(url, json=CONSENT)
    assert mine.status_code == 201, mine.text
    assert mine.json() == {
        "public_id": report.public_id,
        "confirmations": None,
        "confirmations_suppressed": True,
    }
    alone = public_outputs(perturbing_client, report)
    # Someone else says "me too" too (another device), and the attacker looks again.
    other = perturbing_client.post(url, json=CONSENT, headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 201, other.text
    assert other.json() == mine.json()
    together = public_outputs(perturbing_client, report)
    assert together == alone  # byte for byte the same: 1 and 2 look alike
    for shown in (alone["point"], alone["nearby"]):
        assert shown["confirmations"] is None and shown["confirmations_suppressed"] is True


def _set_confirmations(db, report, keys: list[int]) -> None:
    db.execute(text("DELETE FROM confirmation WHERE report_id = :r"), {"r": report.id})
    for key in keys:
        db.execute(
            text(
                "INSERT INTO confirmation (report_id, municipality_id, record_key)"
                " VALUES (:r, :m, :k)"
            ),
            {"r": report.id, "m": report.municipality_id, "k": key},
        )
    db.flush()


@pytest.mark.parametrize("count", [K - 1, K, K + 1, K + 3, 40])
def test_counts_are_perturbed_by_their_record_keys_and_withheld_below_k(
    perturbing_client, db, settings, count
):
    report, _ = make_report(db, settings, status=ReportStatus.published)
    db.refresh(report)
    seen = set()
    for shift in range(0, 256, 17):
        keys = [(shift + 31 * i) % 256 for i in range(count)]
        _set_confirmations(db, report, keys)
        published = SHIPPED.perturb(count, sum(keys) % 256)
        expected = None if count < K or published < K else published
        shown = public_outputs(perturbing_client, report)
        for props in shown.values():
            assert props["confirmations"] == expected, (keys, props)
            assert props["confirmations_suppressed"] is (expected is None)
        seen.add(shown["point"]["confirmations"])
        # The same cell on every request: no averaging of repeated looks.
        assert public_outputs(perturbing_client, report) == shown
    if count >= K + 3:
        assert len(seen) >= 3  # the noise is real: several published values across keys
    if count < K:
        assert seen == {None}
