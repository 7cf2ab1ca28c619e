"""OWSLib's `ogcapi.features` client (what planners' Python scripts use) reads /ogc."""

from __future__ import annotations

from tests.standards.ogc_support import add_reports


def test_owslib_reads_collections_and_items(server, db, settings):
    from owslib.ogcapi.features import Features

    made = add_reports(db, settings)
    api = Features(f"{server.url}/ogc")
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in api.conformance()["conformsTo"]
    )
    ids = {c["id"] for c in api.collections()["collections"]}
    assert {"reports", "reports.cankaya", "indicators", "hotspots", "services"} <= ids
    items = api.collection_items("reports.cankaya", limit=10)
    assert {f["id"] for f in items["features"]} == {r.public_id for r in made.public_cankaya}
    one = api.collection_item("reports.cankaya", made.public_cankaya[0].public_id)
    assert one["properties"]["category"] == "dark_street"
