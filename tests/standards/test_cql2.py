"""OGC API – Features Part 3: Basic CQL2 text filters on the report collections, their
queryables, and bad filters refused with a message that says what is allowed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import text

ITEMS = "/ogc/collections/{c}/items"


def matching(db, where: str, params: dict | None = None) -> set[str]:
    """Public ids of the public points matching a SQL condition, for comparison."""
    return set(
        db.scalars(
            text(
                "SELECT r.public_id FROM report r JOIN category c ON c.id = r.category_id "
                "WHERE r.status = 'published' AND NOT c.sensitive "
                "AND r.location_precision = 'point' AND r.published_at IS NOT NULL AND " + where
            ),
            params or {},
        )
    )


def filtered(client, cql: str, collection: str = "reports", **params) -> set[str]:
    response = client.get(
        ITEMS.format(c=collection), params={"filter": cql, "limit": 10000, **params}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["numberReturned"] == len(body["features"])
    return {f["properties"]["public_id"] for f in body["features"]}


@pytest.mark.parametrize(
    ("cql", "where"),
    [
        ("category = 'dark_street'", "c.code = 'dark_street'"),
        ("category <> 'dark_street'", "c.code <> 'dark_street'"),
        (
            "category_group = 'lighting' AND perceived_safety <= 2",
            "c.\"group\" = 'lighting' AND r.perceived_safety <= 2",
        ),
        (
            "category = 'unsafe_stop' OR category = 'unsafe_park'",
            "c.code IN ('unsafe_stop', 'unsafe_park')",
        ),
        ("NOT (perceived_safety > 1)", "NOT (r.perceived_safety > 1)"),
        ("time_band = 'night'", "r.time_band = 'night'"),
        ("occurred_month >= '2000-01'", "TRUE"),
        ("occurred_month < '2000-01'", "FALSE"),
        ("category IS NOT NULL", "TRUE"),
    ],
)
def test_a_filter_selects_exactly_the_matching_public_points(client, db, populated, cql, where):
    expected = matching(db, where)
    assert filtered(client, cql) == expected


def test_filters_never_reach_what_is_not_public(client, db, populated):
    assert filtered(client, "category = 'verbal_harassment'") == set()
    assert filtered(client, "category_group = 'harassment'") == set()
    # With the collection's area and a bbox, as without a filter.
    mine = filtered(client, "category = 'dark_street'", "reports.cankaya")
    expected = set(
        db.scalars(
            text(
                "SELECT r.public_id FROM report r JOIN category c ON c.id = r.category_id"
                " JOIN municipality m ON m.id = r.municipality_id WHERE m.code = 'cankaya'"
                " AND c.code = 'dark_street' AND r.status = 'published'"
            )
        )
    )
    assert mine == expected and mine
    boxed = filtered(client, "category = 'dark_street'", bbox="32.84,39.91,32.87,39.93")
    assert boxed and boxed < filtered(client, "category = 'dark_street'")


def test_queryables_and_conformance(client):
    response = client.get("/ogc/collections/reports/queryables")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    body = response.json()
    assert body["$id"].endswith("/ogc/collections/reports/queryables")
    assert set(body["properties"]) == {
        "category",
        "category_group",
        "time_band",
        "perceived_safety",
        "occurred_month",
    }
    assert "harassment" not in body["properties"]["category_group"]["enum"]
    assert client.get("/ogc/collections/indicators/queryables").json()["properties"] == {}
    links = client.get("/ogc/collections/reports").json()["links"]
    assert any(link["rel"].endswith("/queryables") for link in links)
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in classes
    assert client.get("/ogc/collections/nowhere/queryables").status_code == 404


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"filter": "text = 'x'"}, "not a queryable"),
        ({"filter": "category LIKE 'dark%'"}, "Basic CQL2"),
        ({"filter": "perceived_safety BETWEEN 1 AND 2"}, "Basic CQL2"),
        ({"filter": "category = "}, "not valid CQL2"),
        ({"filter": "perceived_safety = 'low'"}, "whole number"),
        ({"filter": "occurred_month = '2026-13'"}, "YYYY-MM"),
        ({"filter": "category = perceived_safety"}, "category is compared"),
        ({"filter": "'dark_street' = category"}, "Compare a queryable"),
        ({"filter": " "}, "empty"),
        ({"filter": "category = 'x'", "filter-lang": "cql2-json"}, "cql2-text"),
        ({"filter": "a" * 2001}, "at most"),
        ({"filter": "category = 'dark\x00street'"}, "NUL"),
    ],
)
def test_bad_filters_are_a_400_that_says_what_is_allowed(client, params, needle):
    response = client.get(ITEMS.format(c="reports"), params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert needle in body["description"]


def test_aggregates_take_no_filter(client):
    response = client.get(ITEMS.format(c="indicators"), params={"filter": "reports > 5"})
    assert response.status_code == 400
    assert "no queryables" in response.json()["description"]


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is not installed")
def test_gdal_and_the_filter_select_the_same_reports(server, client, db, populated):
    """GDAL 3.6's OAPIF driver applies -where itself (it pages the items without `filter`);
    what it selects from the served properties is what the server's filter selects."""
    where = "category = 'dark_street' AND perceived_safety <= 2"
    done = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-oo", "PAGE_SIZE=1000", f"OAPIF:{server.url}/ogc",
         "reports.cankaya", "-where", where],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    served = filtered(client, where, "reports.cankaya")
    assert served
    assert f"Feature Count: {len(served)}" in done.stdout
