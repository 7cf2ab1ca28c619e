"""Open311 GeoReport v2, read as a client reads it (PyPI `georeport`) in JSON and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from georeport import GeoReport
from sqlalchemy import select

from app.errors import IntakeLimited
from app.models import Category, MunicipalStatus, Report, ReportSource, ReportStatus, Role
from app.services import standards
from tests.standards.support import EXACT, YENIMAHALLE, new_key, post, post_form, published
from tests.support.citizen_support import leaks
from tests.support.factories import login, make_report, make_user
from tests.support.moderation_support import mod_url


@pytest.fixture
def reports(db, settings):
    lit = published(db, settings, "dark_street")
    sensitive = published(db, settings, "verbal_harassment")
    other_group = published(db, settings, "other")
    pending, _ = make_report(db, settings, lon=EXACT[0], lat=EXACT[1], category="broken_sidewalk")
    yeni = published(db, settings, "broken_sidewalk", point=YENIMAHALLE)
    return {"lit": lit, "sensitive": sensitive, "other": other_group, "pending": pending,
            "yeni": yeni}  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_services_are_the_taxonomys_municipal_categories_never_sensitive(server, db, fmt):
    client = GeoReport(f"{server.url}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    expected = set(
        db.scalars(
            select(Category.code).where(
                Category.active,
                Category.sensitive.is_(False),
                Category.group.in_(["lighting", "transport", "infrastructure", "environment"]),
            )
        )
    )
    assert codes == expected
    assert {"dark_street", "broken_sidewalk", "no_crossing", "unsafe_stop", "unsafe_park",
            "unsafe_underpass"} <= codes  # fmt: skip
    sensitive = set(db.scalars(select(Category.code).where(Category.sensitive)))
    assert sensitive and not (codes & sensitive)
    assert "other" not in codes
    definition = client.get_service_definition("dark_street")
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    consent = next(a for a in attributes if a["code"] == "consent")
    assert consent["required"] in (True, "true")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_are_published_displaced_and_never_sensitive(server, reports, fmt):
    client = GeoReport(f"{server.url}/open311/v2", output_format=fmt)
    found = client.get_service_requests()
    found = found if isinstance(found, list) else [found]
    ids = {r["service_request_id"] for r in found}
    assert reports["lit"].public_id in ids and reports["yeni"].public_id in ids
    for hidden in ("sensitive", "pending", "other"):
        assert reports[hidden].public_id not in ids
    one = next(r for r in found if r["service_request_id"] == reports["lit"].public_id)
    assert one["status"] == "open"
    assert one["jurisdiction_id"] == "cankaya"
    assert one["requested_datetime"].endswith("T00:00:00+03:00")
    assert "Cumhuriyet" in one["address"]
    assert (float(one["lat"]), float(one["long"])) != (EXACT[1], EXACT[0])
    single = client.get_service_request(reports["lit"].public_id)
    assert single["service_request_id"] == reports["lit"].public_id


def test_no_answer_carries_an_exact_point_a_sensitive_or_unapproved_report(client, reports):
    paths = ["/open311/v2/requests.json", "/open311/v2/requests.xml",
             "/open311/v2/requests.json?jurisdiction_id=cankaya&page_size=1000",
             "/open311/v2/services.json", "/open311/v2/services.xml"]  # fmt: skip
    for path in paths:
        body = client.get(path).text
        assert not leaks(body, *EXACT), path
        for hidden in ("sensitive", "pending"):
            assert reports[hidden].public_id not in body, path
        assert "verbal_harassment" not in body
    for hidden in ("sensitive", "pending", "other"):
        response = client.get(f"/open311/v2/requests/{reports[hidden].public_id}.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404


def test_filters_status_jurisdiction_paging(client, db, reports):
    lit = reports["lit"]
    lit.municipal_status = MunicipalStatus.resolved
    db.flush()
    closed = client.get("/open311/v2/requests.json", params={"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [lit.public_id]
    assert closed[0]["status"] == "closed" and "resolved" in closed[0]["status_notes"]
    opened = client.get("/open311/v2/requests.json", params={"status": "open"}).json()
    assert lit.public_id not in {r["service_request_id"] for r in opened}
    yeni = client.get("/open311/v2/requests.json", params={"jurisdiction_id": "yenimahalle"})
    assert [r["service_request_id"] for r in yeni.json()] == [reports["yeni"].public_id]
    by_code = client.get("/open311/v2/requests.json", params={"service_code": "broken_sidewalk"})
    assert {r["service_request_id"] for r in by_code.json()} == {reports["yeni"].public_id}
    page1 = client.get("/open311/v2/requests.json", params={"page_size": 1, "page": 1}).json()
    page2 = client.get("/open311/v2/requests.json", params={"page_size": 1, "page": 2}).json()
    assert len(page1) == len(page2) == 1 and page1 != page2
    future = client.get("/open311/v2/requests.json", params={"start_date": "2999-01-01T00:00:00Z"})
    assert future.status_code == 200 and future.json() == []
    later = client.get("/open311/v2/requests.json", params={"updated_after": "2999-01-01"})
    assert later.json() == []


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-40"}, "end_date"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "after"),
        ({"status": "pending"}, "open or closed"),
        ({"jurisdiction_id": "atlantis"}, "atlantis"),
        ({"page_size": "5000"}, "page_size"),
    ],
)
def test_bad_queries_answer_the_standard_error(client, params, needle):
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/requests.{fmt}", params=params)
        assert 400 <= response.status_code < 500, response.text
        if fmt == "json":
            error = response.json()[0]
            assert error["code"] == response.status_code
            assert needle in error["description"]
        else:
            root = ET.fromstring(response.content)
            assert root.tag == "errors"
            assert root.find("error/code").text == str(response.status_code)
            assert needle in root.find("error/description").text


def test_unknown_and_sensitive_service_definitions_are_404(client):
    for code in ("verbal_harassment", "nope"):
        response = client.get(f"/open311/v2/services/{code}.xml")
        assert response.status_code == 404
        assert ET.fromstring(response.content).find("error/code").text == "404"
    assert client.get("/open311/v2/services.yaml").status_code == 404


def test_post_without_key_consent_or_with_a_sensitive_code_is_refused(client, db):
    key = new_key(db)
    cases = [
        (post_form(None), 403, "api_key"),
        (post_form("o311_wrong"), 403, "api_key"),
        (post_form(key, **{"attribute[consent]": None}), 400, "consent"),
        (post_form(key, **{"attribute[consent]": "no"}), 400, "consent"),
        (post_form(key, service_code="verbal_harassment"), 404, "never offered"),
        (post_form(key, service_code="unknown"), 404, "not an Open311 service"),
        (post_form(key, lat=None, long=None), 400, "lat and long"),
        (post_form(key, lat="north"), 400, "number"),
        (post_form(key, **{"attribute[perceived_safety]": "9"}), 400, "perceived_safety"),
        (post_form(key, jurisdiction_id="yenimahalle"), 403, "jurisdiction"),
        (post_form(key, jurisdiction_id="atlantis"), 400, "atlantis"),
    ]
    before = db.scalar(select(Report.id).where(Report.source == ReportSource.open311))
    assert before is None
    for form, status, needle in cases:
        response = post(client, form)
        assert response.status_code == status, (form, response.text)
        assert needle in response.json()[0]["description"], response.text
    xml = post(client, post_form(None), fmt="xml")
    assert xml.status_code == 403 and ET.fromstring(xml.content).tag == "errors"
    assert db.scalar(select(Report.id).where(Report.source == ReportSource.open311)) is None


def test_a_key_cannot_post_a_place_outside_its_jurisdiction(client, db):
    key = new_key(db, "cankaya")
    outside = post_form(key, lat=str(YENIMAHALLE[1]), long=str(YENIMAHALLE[0]))
    response = post(client, outside)
    assert response.status_code == 403
    assert "yenimahalle" in response.json()[0]["description"]
    metro = new_key(db, "ankara")  # the metropolitan municipality holds both districts
    assert (
        post(client, post_form(metro, lat=outside["lat"], long=outside["long"])).status_code == 201
    )


def test_posted_request_is_pending_in_moderation_then_public(client, db, settings):
    key = new_key(db)
    response = post(client, post_form(key))
    assert response.status_code == 201, response.text
    token = response.json()[0]["token"]
    assert "service_request_id" not in response.json()[0]
    report = db.scalars(select(Report).where(Report.source == ReportSource.open311)).one()
    assert report.status is ReportStatus.pending
    assert report.reporter_gender is None and "someone@example.org" not in report.text
    assert client.get(f"/open311/v2/tokens/{token}.json").json()[0]["service_request_id"] is None
    listed = client.get("/open311/v2/requests.json").json()
    assert report.public_id not in {r["service_request_id"] for r in listed}

    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    queue = client.get("/api/v1/moderation/reports", params={"status": "pending"}).json()
    item = next(i for i in queue["items"] if i["public_id"] == report.public_id)
    assert item["source"] == "open311"
    assert client.post(mod_url(report, "approve"), json={}).status_code == 200

    public = client.get("/open311/v2/requests.json").json()
    assert report.public_id in {r["service_request_id"] for r in public}
    by_token = client.get(f"/open311/v2/tokens/{token}.xml")
    assert ET.fromstring(by_token.content).find("request/service_request_id").text == (
        report.public_id
    )


def test_revoked_key_is_refused(client, db, settings):
    key = new_key(db)
    login(client, make_user(db, settings, Role.admin))
    keys = client.get("/api/v1/admin/open311/keys").json()
    assert all("key_hash" not in k and "api_key" not in k for k in keys)
    mine = next(k for k in keys if key.startswith(k["prefix"]))
    assert client.post(f"/api/v1/admin/open311/keys/{mine['id']}/revoke").status_code == 204
    assert post(client, post_form(key)).status_code == 403


def test_posts_count_against_the_intake_ceilings_per_key(db, settings):
    strict = settings.model_copy(update={"intake_reports_per_client": 2})
    key, other = new_key(db), new_key(db)
    for _ in range(2):
        standards.post_request(db, strict, post_form(key))
    with pytest.raises(IntakeLimited), db.begin_nested():
        standards.post_request(db, strict, post_form(key))
    standards.post_request(db, strict, post_form(other))  # another client system's own count
    stored = db.scalars(select(Report).where(Report.source == ReportSource.open311)).all()
    assert len(stored) == 3
    assert all(r.status is ReportStatus.pending and r.record_key is not None for r in stored)
    assert all((r.location_precision.value, r.public_location is not None) == ("point", True)
               for r in stored)  # fmt: skip


def test_updated_after_in_the_past_keeps_every_request(client, reports):
    found = client.get("/open311/v2/requests.json", params={"updated_after": "2000-01-01"})
    ids = {r["service_request_id"] for r in found.json()}
    assert {reports["lit"].public_id, reports["yeni"].public_id} <= ids
