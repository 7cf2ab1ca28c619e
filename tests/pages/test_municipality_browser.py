"""The map of one municipality in Chromium on a phone: the address chooses it, the select in
the map bar offers the others, every public API call carries it, and it is remembered only in
the address (never in web storage, IndexedDB, cookies or the offline cache)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update

from app.models import Mahalle, Municipality, Report, ReportStatus
from tests.support.browser import phone_context
from tests.support.citizen_browser_support import (
    centre_map,
    step_what,
    step_when,
    storage_left,
    wait_for_map,
)
from tests.support.factories import make_report
from tests.support.planner_support import municipality_id

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

YENIMAHALLE_POINT = (32.7, 39.97)  # in Yeni Batı Mahallesi (Yenimahalle)
NOTHING_LEFT = {"local": 0, "session": 0, "cookie": "", "idb": []}


def api_calls(phone, path: str) -> list[dict[str, list[str]]]:
    """The query of every request the page made to `path` of the app, in order."""
    return [
        parse_qs(urlsplit(url).query)
        for url in phone.traffic.requests
        if url.startswith(phone.base_url) and urlsplit(url).path == path
    ]


def wait_for_call(page, phone, path: str, municipality: str) -> None:
    """Until the page has asked `path` for `municipality`."""
    for _ in range(150):
        if any(q.get("municipality") == [municipality] for q in api_calls(phone, path)):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no request to {path} for {municipality}: {api_calls(phone, path)}")


def answers(phone, path: str, municipality: str) -> list[dict]:
    """The JSON answers to the page's requests of `path` for `municipality`."""
    found = []
    for response in phone.traffic.responses:
        url = urlsplit(response.url)
        asked = parse_qs(url.query).get("municipality")
        if url.path == path and asked == [municipality] and response.ok:
            found.append(response.json())
    return found


def tile_collections(phone) -> list[str]:
    """The collection of every report tile the page asked for (the map draws from tiles)."""
    found = []
    for url in phone.traffic.requests:
        parts = urlsplit(url).path.split("/")
        if url.startswith(phone.base_url) and parts[1:3] == ["ogc", "collections"]:
            found.append(parts[3])
    return found


def wait_for_tiles(page, phone, collection: str) -> None:
    """Until the page has asked for a tile of `collection`."""
    for _ in range(150):
        if collection in tile_collections(phone):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"no tile of {collection}: {tile_collections(phone)}")


def shown_points(phone, municipality: str) -> set[str]:
    """Public ids of the report points the page was sent for `municipality` (its tiles)."""
    found = set()
    for response in phone.traffic.responses:
        if f"/ogc/collections/reports.{municipality}/tiles/" not in response.url:
            continue
        if response.ok and "geo+json" in response.headers.get("content-type", ""):
            body = response.json()
            if body.get("layer") == "reports":
                found |= {f["properties"]["public_id"] for f in body["features"]}
    return found


def at_address(query: str):
    """A predicate for page.wait_for_url: the page's address ends with `query`."""
    return lambda url: url.endswith(query)


def public_point(db, server, report: Report) -> tuple[float, float]:
    with server.lock:
        shown = db.scalar(
            select(func.ST_AsText(Report.public_location)).where(Report.id == report.id)
        )
    lon, lat = (float(v) for v in shown.removeprefix("POINT(").removesuffix(")").split())
    return lon, lat


def mahalle_count(db, server, code: str) -> int:
    with server.lock:
        return db.scalar(
            select(func.count(Mahalle.id)).where(
                Mahalle.municipality_id == municipality_id(db, code)
            )
        )


def test_the_address_chooses_the_municipality_and_the_select_changes_it(
    server, db, settings, phone
):
    in_cankaya, _ = make_report(db, settings, status=ReportStatus.published, text="Kızılay")
    lon, lat = YENIMAHALLE_POINT
    in_yenimahalle, _ = make_report(
        db, settings, lon=lon, lat=lat, status=ReportStatus.published, text="Yeni Batı"
    )
    db.commit()
    yenimahalle_mahalle = mahalle_count(db, server, "yenimahalle")
    cankaya_mahalle = mahalle_count(db, server, "cankaya")
    page = phone.page

    page.goto("/?municipality=yenimahalle")
    wait_for_map(page)
    choice = page.get_by_label("Belediye")  # the select, named by its label
    page.wait_for_function("() => document.querySelectorAll('#municipality option').length === 4")
    assert choice.input_value() == "yenimahalle"
    texts = [o.strip() for o in choice.locator("option").all_inner_texts()]
    # The whole area, then Ankara BB followed by its districts.
    assert texts[:2] == ["Tüm belediyeler", "Ankara Büyükşehir Belediyesi"]
    assert texts[2].startswith("Çankaya") and texts[3].startswith("Yenimahalle")
    page.wait_for_function(
        "n => document.getElementById('map').dataset.mahalle === String(n)",
        arg=yenimahalle_mahalle,
    )
    # Its one report: at this zoom a cluster of fewer than k, without its count.
    page.wait_for_function("() => document.getElementById('map').dataset.fewClusters === '1'")
    # Every layer asked for Yenimahalle only, and the map shows its area.
    reports = tile_collections(phone)
    assert reports and set(reports) == {"reports.yenimahalle"}
    indicators = api_calls(phone, "/api/v1/indicators")
    assert indicators and all(q["municipality"] == ["yenimahalle"] for q in indicators)
    listed = phone.traffic.json_from("/api/v1/municipalities")[0]["items"]
    west, south, east, north = next(m for m in listed if m["code"] == "yenimahalle")["bbox"]
    centre = page.evaluate(
        "() => { const c = window.__mh.map.getCenter(); return [c.lng, c.lat]; }"
    )
    assert west < centre[0] < east and south < centre[1] < north  # fitted to its area
    assert page.evaluate("() => window.__mh.map.getBounds().contains([39.97, 32.7])")
    english = page.locator(".language__link[lang='en']")
    assert "municipality=yenimahalle" in english.get_attribute("href")
    phone.screenshot("municipality-1-yenimahalle")

    history = page.evaluate("() => history.length")
    choice.select_option("cankaya")
    page.wait_for_url(at_address("/?municipality=cankaya"))
    assert page.evaluate("() => history.length") == history  # replaced, not a new entry
    wait_for_tiles(page, phone, "reports.cankaya")
    wait_for_call(page, phone, "/api/v1/indicators", "cankaya")
    page.wait_for_function(
        "n => document.getElementById('map').dataset.mahalle === String(n)",
        arg=cankaya_mahalle,
    )
    assert page.evaluate("() => window.__mh.map.getBounds().contains([39.9208, 32.8541])")
    # The points of Çankaya's area, once its answer is in (never Yenimahalle's).
    centre_map(page, *public_point(db, server, in_cankaya))
    for _ in range(150):
        if shown_points(phone, "cankaya"):
            break
        page.wait_for_timeout(100)
    assert shown_points(phone, "cankaya") == {in_cankaya.public_id}
    page.wait_for_function("() => document.getElementById('map').dataset.reports === '1'")
    assert "municipality=cankaya" in english.get_attribute("href")

    # The support services follow the choice.
    page.locator("#legend summary").click()
    page.get_by_label("Destek hizmetlerini göster").check()
    wait_for_call(page, phone, "/api/v1/services", "cankaya")

    # The whole area again: the address says nothing more.
    choice.select_option("")
    page.wait_for_function("() => !location.search.includes('municipality')")
    page.wait_for_function(
        "n => document.getElementById('map').dataset.mahalle === String(n)",
        arg=yenimahalle_mahalle + cankaya_mahalle,
    )
    assert "municipality" not in english.get_attribute("href")
    assert in_yenimahalle.public_id  # both reports exist; only the choice hid one

    # Remembered nowhere but in the address.
    assert storage_left(page) == NOTHING_LEFT
    assert page.context.cookies() == []


def test_the_report_form_asks_about_the_chosen_municipality(server, db, settings, phone):
    original, _ = make_report(db, settings, status=ReportStatus.published, text="Lamba yok.")
    db.commit()
    lon, lat = public_point(db, server, original)
    page = phone.page
    page.goto("/?municipality=cankaya")
    wait_for_map(page)
    page.get_by_role("button", name="Bir yer bildir").click()
    wait_for_call(page, phone, "/api/v1/area", "cankaya")  # the outline of Çankaya
    step_when(page, now=False)

    # Without the map: only Çankaya's mahalle are offered.
    page.locator("#no-map-toggle").click()
    wait_for_call(page, phone, "/api/v1/mahalle", "cankaya")
    page.wait_for_function("() => document.querySelectorAll('#mahalle-select option').length > 0")
    options = page.locator("#mahalle-select option").all_inner_texts()
    assert options and all(o.endswith("(Çankaya)") for o in options)
    page.locator("#no-map-toggle").click()

    # "Me too" looks among Çankaya's reports.
    centre_map(page, lon, lat, zoom=17)
    phone.tap_map_at(lon, lat)
    step_what(page, category="dark_street")
    page.locator(f'#metoo-list li[data-public-id="{original.public_id}"]').wait_for()
    nearby = api_calls(phone, "/api/v1/reports/nearby")
    assert nearby and all(q["municipality"] == ["cankaya"] for q in nearby)
    assert storage_left(page) == NOTHING_LEFT


def test_the_language_switch_offers_only_the_municipality_languages(server, db, phone):
    db.execute(
        update(Municipality).where(Municipality.code == "yenimahalle").values(languages=["tr"])
    )
    db.commit()
    page = phone.page
    page.goto("/?municipality=yenimahalle")
    wait_for_map(page)
    english = page.locator(".language__link[lang='en']")
    assert english.is_hidden()
    page.wait_for_function("() => document.querySelectorAll('#municipality option').length === 4")
    page.get_by_label("Belediye").select_option("cankaya")
    page.wait_for_url(at_address("/?municipality=cankaya"))
    assert english.is_visible()
    english.click()  # English, still about Çankaya
    page.wait_for_url(
        lambda url: parse_qs(urlsplit(url).query) == {"lang": ["en"], "municipality": ["cankaya"]}
    )
    wait_for_map(page)
    assert page.get_by_label("Municipality").input_value() == "cankaya"
    # The language is the one thing remembered (its own cookie); the municipality is not.
    assert all("cankaya" not in c["value"] for c in page.context.cookies())


def test_the_offline_cache_keeps_no_municipality(server, db, chromium):
    with phone_context(chromium, server.url, route=False, service_workers="allow") as (
        context,
        phone,
    ):
        page = phone.page
        page.goto("/")
        wait_for_map(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.goto("/?municipality=cankaya")
        wait_for_map(page)
        page.get_by_role("button", name="Bir yer bildir").click()
        wait_for_call(page, phone, "/api/v1/area", "cankaya")
        page.wait_for_timeout(300)  # the worker's cache writes settle
        cached = page.evaluate(
            """async () => {
                const cache = await caches.open('static-v3');
                const keys = (await cache.keys()).map(r => r.url);
                const shell = await (await cache.match('/')).text();
                return {keys, shell};
            }"""
        )
        assert not [k for k in cached["keys"] if "municipality=" in k]
        assert '"municipality": null' in cached["shell"] or '"municipality":null' in cached["shell"]
        assert "cankaya" not in cached["shell"].split('id="config"')[1].split("</script>")[0]
        # Offline, the address still decides: the whole area's copy, fitted to Çankaya.
        context.set_offline(True)
        page.reload()
        page.locator("#open-report").wait_for()
        page.wait_for_function("() => document.getElementById('municipality').value === 'cankaya'")
        assert page.evaluate("() => window.__mh.map.getBounds().contains([39.9208, 32.8541])")
        context.set_offline(False)
