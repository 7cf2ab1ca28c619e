"""Atom feeds, read with feedparser: valid, public data only, per municipality and mahalle."""

from __future__ import annotations

import feedparser
import pytest

from app.services.reference import mahalle_at
from tests.standards.support import EXACT, YENIMAHALLE, published
from tests.support.citizen_support import leaks
from tests.support.factories import make_report


@pytest.fixture
def reports(db, settings):
    lit = published(db, settings, "dark_street")
    sensitive = published(db, settings, "verbal_harassment")
    pending, _ = make_report(db, settings, lon=EXACT[0], lat=EXACT[1], category="no_crossing")
    yeni = published(db, settings, "broken_sidewalk", point=YENIMAHALLE)
    return {"lit": lit, "sensitive": sensitive, "pending": pending, "yeni": yeni}


def _ids(feed) -> set[str]:
    return {e.id.rsplit(":", 1)[-1] for e in feed.entries}


def test_municipality_feed_is_valid_atom_with_public_points_only(client, reports):
    response = client.get("/feeds/cankaya.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert _ids(feed) == {reports["lit"].public_id}
    entry = feed.entries[0]
    assert "Karanlık sokak" in entry.title and "Cumhuriyet" in entry.title
    lat, lon = (float(v) for v in entry.where["coordinates"][::-1])
    assert (lon, lat) != EXACT
    assert abs(lon - EXACT[0]) < 0.01 and abs(lat - EXACT[1]) < 0.01
    assert entry.updated_parsed.tm_hour == 21  # midnight in Istanbul, never the hour of a report
    assert not leaks(response.text, *EXACT)
    for hidden in ("sensitive", "pending", "yeni"):
        assert reports[hidden].public_id not in response.text
    metro = feedparser.parse(client.get("/feeds/ankara.atom").content)
    assert _ids(metro) == {reports["lit"].public_id, reports["yeni"].public_id}


def test_mahalle_feed_and_unknown_names(client, db, reports):
    mahalle = mahalle_at(db, *EXACT)
    assert mahalle is not None
    feed = feedparser.parse(client.get(f"/feeds/cankaya/{mahalle.code}.atom").content)
    assert not feed.bozo and _ids(feed) == {reports["lit"].public_id}
    assert client.get(f"/feeds/yenimahalle/{mahalle.code}.atom").status_code == 404
    assert client.get("/feeds/cankaya/nowhere.atom").status_code == 404
    assert client.get("/feeds/atlantis.atom").status_code == 404
