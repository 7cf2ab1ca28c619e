"""The public map's audit layer in Chromium on a phone: off by default, turned on with its
checkbox, approved points only, scores in the popup, never a note."""

from __future__ import annotations

import pytest

from tests.audits.audit_support import point_body, published_walk
from tests.support.browser import axe_serious
from tests.support.citizen_browser_support import wait_for_map
from tests.support.factories import KIZILAY

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser


def test_citizen_turns_on_the_audit_layer(server, db, settings, phone):
    with server.lock:
        published_walk(db, settings, *KIZILAY, 5, lighting=0)
    page = phone.page
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto("/")
    wait_for_map(page)
    assert page.evaluate("window.__mh.audits") is None  # not loaded until she asks
    page.locator("#legend summary").click()  # the layers sit in the folded legend
    page.get_by_label("Güvenlik yürüyüşü noktalarını göster").check()
    # At the city's zoom, the tiles' counts per cell: all five, in one cell or a few.
    page.wait_for_function("() => window.__mh.audits === 5")
    assert any("/api/v1/audits/tiles/" in url for url in asked)
    assert not any("/api/v1/audits/points" in url for url in asked)  # never the whole layer
    # Closer, from zoom 15: the points themselves, each with its popup.
    lon, lat = page.request.get("/api/v1/audits/points").json()["features"][0]["geometry"][
        "coordinates"
    ]
    page.evaluate("([lat, lon]) => window.__mh.map.setView([lat, lon], 17)", [lat, lon])
    page.wait_for_function("() => window.__mh.map.getZoom() === 17 && window.__mh.audits >= 1")
    page.locator(".leaflet-interactive[fill='#6a51a3']").first.dispatch_event("click")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Güvenlik yürüyüşü noktası" in text and "Aydınlatma" in text
    assert point_body(0, 0)["note"] == "" and "Not" not in text
    phone.screenshot("audits-public-layer")
    assert axe_serious(page, "audits-public-layer") == []
