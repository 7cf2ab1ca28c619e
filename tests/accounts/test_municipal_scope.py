"""Every municipality sees only its own: staff of Çankaya walk every staff route, and nothing
of Yenimahalle reaches them; staff of Ankara BB (the metropolitan) see both districts."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from app.models import Mahalle, Municipality, MunicipalStatus, ReportStatus, Role
from tests.accounts.test_authorisation import CALLS, PUBLIC, _send
from tests.support.citizen_support import jpeg_with_metadata
from tests.support.factories import KIZILAY, login, make_report, make_user
from tests.support.routes import app_routes

YENIMAHALLE = (32.7, 39.97)  # inside a Yenimahalle mahalle of the base data
SECRET = "Yenimahalle-only-marker"  # text no Çankaya viewer may ever read


def _yenimahalle_reports(db, settings) -> dict[str, str]:
    lon, lat = YENIMAHALLE
    pending, _ = make_report(db, settings, lon=lon, lat=lat, text=f"{SECRET} pending")
    other, _ = make_report(db, settings, lon=lon + 0.001, lat=lat, text=f"{SECRET} other")
    published, _ = make_report(
        db, settings, lon=lon, lat=lat, status=ReportStatus.published, text=f"{SECRET} pub"
    )
    forwarded, _ = make_report(
        db, settings, lon=lon, lat=lat, status=ReportStatus.published, text=f"{SECRET} fwd"
    )
    forwarded.municipal_status = MunicipalStatus.forwarded
    db.flush()
    code = db.scalar(select(Municipality.code).where(Municipality.id == pending.municipality_id))
    assert code == "yenimahalle"  # the fixture is where it claims to be
    target = make_user(db, settings, Role.moderator, ["yenimahalle"])
    return {
        "pending": pending.public_id,
        "other": other.public_id,
        "published": published.public_id,
        "forwarded": forwarded.public_id,
        "user": str(target.id),
    }


def _yenimahalle_names(db) -> list[str]:
    yenimahalle = select(Municipality.id).where(Municipality.code == "yenimahalle")
    names = db.scalars(select(Mahalle.name).where(Mahalle.municipality_id.in_(yenimahalle)))
    cankaya = set(
        db.scalars(
            select(Mahalle.name).where(
                Mahalle.municipality_id.in_(
                    select(Municipality.id).where(Municipality.code == "cankaya")
                )
            )
        )
    )
    return sorted(set(names) - cankaya)  # names only Yenimahalle has


def _leaks(text: str, ids: dict[str, str]) -> list[str]:
    found = [f"report {v}" for k, v in ids.items() if k != "user" and v in text]
    return found + (["report text"] if SECRET in text else [])


# Calls about one report: for a report of another municipality, 404 (existence not revealed).
SINGLE = [c for c in CALLS if "{pending}" in c.path or "{published}" in c.path]
LISTS = [c for c in CALLS if c.method == "GET" and "{" not in c.path]


@pytest.mark.parametrize("role", [Role.moderator, Role.planner], ids=lambda r: r.value)
@pytest.mark.parametrize("call", SINGLE, ids=lambda c: c.name)
def test_acting_on_another_municipalitys_report_is_not_found(client, db, settings, call, role):
    ids = _yenimahalle_reports(db, settings)
    login(client, make_user(db, settings, role, ["cankaya"]))
    response = _send(client, call, ids)
    expected = 404 if role in call.allowed else 403
    assert response.status_code == expected, response.text
    assert SECRET not in response.text  # (the id it was asked about may be echoed)


@pytest.mark.parametrize(
    "call", [c for c in SINGLE if c.name != "location"], ids=lambda c: c.name
)  # (the location call's body moves a Çankaya point)
def test_the_same_calls_succeed_for_the_reports_own_municipality(client, db, settings, call):
    """The control: the refusal above is about the municipality, not the call."""
    ids = _yenimahalle_reports(db, settings)
    login(client, make_user(db, settings, Role.moderator, ["yenimahalle"]))
    response = _send(client, call, ids)
    expected = call.ok if Role.moderator in call.allowed else 403
    assert response.status_code == expected, response.text


def test_every_staff_get_route_shows_nothing_of_another_municipality(server, client, db, settings):
    ids = _yenimahalle_reports(db, settings)
    make_report(db, settings, status=ReportStatus.published)  # Çankaya has its own
    names = _yenimahalle_names(db)
    assert names, "the base data must have mahalle only Yenimahalle has"
    yenimahalle_mahalle = db.scalar(select(Mahalle.code).where(Mahalle.name == names[0]))
    seen: list[str] = []
    for role in (Role.moderator, Role.planner):
        login(client, make_user(db, settings, role, ["cankaya"]))
        for method, path in app_routes(server.app):
            if method != "GET" or (method, path) in PUBLIC:  # the public sees published ones
                continue
            url = path.replace("{code:path}", yenimahalle_mahalle).replace("{code}", "x")
            url = url.replace("{layer}", "indicators").replace("{public_id}", "none")
            url = url.replace("{photo_id}", "00000000-0000-0000-0000-000000000000")
            params = {"format": "geojson"} if "/exports/" in url else None
            response = client.get(url, params=params, follow_redirects=False)
            if response.status_code >= 500:
                pytest.fail(f"{role.value} {url}: {response.status_code}")
            text = response.text
            leaks = _leaks(text, ids)
            if path.startswith("/api/v1/planner") or path in ("/dashboard", "/municipal"):
                leaks += [n for n in names if f'"{n}"' in text]
            assert leaks == [], (role.value, url, leaks)
            seen.append(url)
        client.post("/api/v1/auth/logout")
        client.headers.pop("X-CSRF-Token", None)
    assert any("/api/v1/moderation/reports" in u for u in seen)
    assert any("/api/v1/planner/indicators" in u for u in seen)


def test_asking_for_another_municipality_is_refused(client, db, settings):
    _yenimahalle_reports(db, settings)
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    for url in (
        "/api/v1/planner/indicators",
        "/api/v1/planner/hotspots",
        "/api/v1/planner/exports/indicators",
        "/api/v1/municipal/reports",
    ):
        refused = client.get(url, params={"municipality": "yenimahalle"})
        assert refused.status_code == 403, (url, refused.text)
        assert refused.json()["error"]["code"] == "not_permitted"
        assert client.get(url, params={"municipality": "cankaya"}).status_code == 200
    unknown = client.get("/api/v1/planner/indicators", params={"municipality": "nowhere"})
    assert unknown.status_code == 422 and "'nowhere'" in unknown.json()["error"]["message"]


def test_a_metropolitan_planner_covers_both_districts(client, db, settings):
    ids = _yenimahalle_reports(db, settings)
    make_report(db, settings, status=ReportStatus.published)  # in Çankaya
    names = _yenimahalle_names(db)
    login(client, make_user(db, settings, Role.planner, ["ankara"]))
    layer = client.get("/api/v1/planner/indicators").json()
    districts = {f["properties"]["district"] for f in layer["features"]}
    assert districts == {"Çankaya", "Yenimahalle"}
    exported = client.get("/api/v1/planner/exports/indicators", params={"format": "csv"})
    assert exported.status_code == 200
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        table = next(n for n in archive.namelist() if n.endswith(".csv"))
        content = archive.read(table).decode("utf-8-sig")
    assert names[0] in content and "Kızılay" in content
    municipal = client.get("/api/v1/municipal/reports").json()
    assert ids["published"] in {item["public_id"] for item in municipal["items"]}
    # A Çankaya planner's layer holds Çankaya's mahalle only.
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    only = client.get("/api/v1/planner/indicators").json()
    assert {f["properties"]["district"] for f in only["features"]} == {"Çankaya"}


def test_a_moderator_without_a_municipality_sees_no_report(client, db, settings):
    _yenimahalle_reports(db, settings)
    make_report(db, settings)  # a pending one in Çankaya
    login(client, make_user(db, settings, Role.moderator, []))
    queue = client.get("/api/v1/moderation/reports").json()
    assert queue["total"] == 0 and queue["items"] == []


def test_photos_of_another_municipalitys_pending_report_are_not_served(client, db, settings):
    lon, lat = YENIMAHALLE
    files = [("photos", ("a.jpg", jpeg_with_metadata(), "image/jpeg"))]
    payload = {
        "category": "dark_street",
        "location": {"lon": lon, "lat": lat},
        "happening_now": True,
        "perceived_safety": 2,
        "consent": True,
    }
    sent = client.post("/api/v1/reports", data={"report": json.dumps(payload)}, files=files)
    assert sent.status_code == 201, sent.text
    assert sent.json()["municipality"] == "yenimahalle"
    login(client, make_user(db, settings, Role.moderator, ["yenimahalle"]))
    item = client.get("/api/v1/moderation/reports").json()["items"][0]
    photo = item["photos"][0]
    assert client.get(photo).status_code == 200  # its own municipality's moderator
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    assert client.get(photo).status_code == 404


def test_queue_items_name_their_municipality_and_who_acts(client, db, settings):
    lon, lat = KIZILAY
    make_report(db, settings, lon=lon, lat=lat, status=ReportStatus.published)
    login(client, make_user(db, settings, Role.moderator, ["ankara"]))
    items = client.get("/api/v1/moderation/reports", params={"status": "published"}).json()
    item = next(i for i in items["items"] if i["municipality"] == "cankaya")
    # dark_street is lighting: a district's duty by default.
    assert item["responsible"]["code"] == "cankaya"
