"""Tiles kept per public data version: a publish shows on the next tile, an unpublish is gone
from it, and the version moves only when what the public sees may change."""

from __future__ import annotations

import contextlib
import threading
import time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import Report, Role
from app.services.moderation import actions
from app.services.standards import layer_cache
from tests.support.factories import make_report, make_user
from tests.support.tile_support import decode_strict, tile_of

URL = "/ogc/collections/reports/tiles/WebMercatorQuad/{z}/{y}/{x}"


def _public_point(db, report: Report) -> tuple[float, float]:
    return db.execute(
        select(func.ST_X(Report.public_location), func.ST_Y(Report.public_location)).where(
            Report.id == report.id
        )
    ).one()


def _tile(client, point: tuple[float, float], z: int, **params) -> bytes:
    x, y = tile_of(point[0], point[1], z)
    response = client.get(URL.format(z=z, x=x, y=y), params=params)
    assert response.status_code == 200, response.text
    return response.content


def _ids(tile: bytes) -> set[str]:
    layer = decode_strict(tile).get("reports", {"features": []})
    return {f["properties"]["public_id"] for f in layer["features"]}


def _cluster_total(client, point: tuple[float, float]) -> int:
    """Reports in the z12 GeoJSON clusters over the point (suppressed ones count as 0)."""
    x, y = tile_of(point[0], point[1], 12)
    response = client.get(URL.format(z=12, x=x, y=y), params={"f": "geojson"})
    assert response.status_code == 200, response.text
    return sum(f["properties"].get("count", 0) for f in response.json()["features"])


def test_a_kept_tile_follows_every_publish_and_unpublish(client, db, settings):
    moderator = make_user(db, settings, Role.moderator, ["cankaya"])
    report, _ = make_report(db, settings)  # pending
    db.flush()
    point = _public_point(db, report)
    first = _tile(client, point, 15)
    hits = layer_cache.TILES.hits
    assert _tile(client, point, 15) == first  # the same answer, kept
    assert layer_cache.TILES.hits == hits + 1
    assert report.public_id not in _ids(first)

    actions.approve(db, moderator, report.public_id)
    db.flush()
    assert report.public_id in _ids(_tile(client, point, 15))

    actions.hide(db, moderator, report.public_id, None)
    db.flush()
    assert report.public_id not in _ids(_tile(client, point, 15))


def test_kept_clusters_follow_publishing_too(client, db, settings):
    moderator = make_user(db, settings, Role.moderator, ["cankaya"])
    made = [make_report(db, settings)[0] for _ in range(12)]  # pending, at Kızılay
    db.flush()
    point = _public_point(db, made[0])
    assert _cluster_total(client, point) == 0
    assert _cluster_total(client, point) == 0  # kept
    for report in made:
        actions.approve(db, moderator, report.public_id)
    db.flush()
    shown = _cluster_total(client, point)
    assert shown >= 5  # 12, perturbed: shown again only once at least k
    for report in made:
        actions.hide(db, moderator, report.public_id, None)
    db.flush()
    assert _cluster_total(client, point) == 0


def test_the_version_moves_only_when_the_public_may_see_a_change(db, settings):
    def version() -> int:
        found = layer_cache.data_version(db)
        assert found is not None
        return found

    start = version()
    report, _ = make_report(db, settings)
    db.flush()
    assert version() == start  # intake of a pending report changes nothing public
    db.execute(text("UPDATE report SET text = 'edited' WHERE id = :id"), {"id": report.id})
    assert version() == start  # nor does editing one that was never published
    db.execute(
        text("UPDATE report SET status = 'published', published_at = now() WHERE id = :id"),
        {"id": report.id},
    )
    published = version()
    assert published > start
    db.execute(text("UPDATE report SET text = 'x' WHERE id = :id"), {"id": report.id})
    assert version() == published  # the text is in neither tiles nor layers
    db.execute(text("UPDATE report SET status = 'hidden' WHERE id = :id"), {"id": report.id})
    hidden = version()
    assert hidden > published
    db.execute(text("UPDATE category SET sensitive = sensitive"))
    assert version() > hidden  # a category, mahalle or municipality: always


def test_the_cache_keeps_within_its_budget_and_zero_keeps_nothing(db):
    calls: list[int] = []

    def compute(i: int):
        def run() -> bytes:
            calls.append(i)
            return bytes(1000)

        return run

    cache = layer_cache.LayerCache(max_bytes=3 * 1064)
    for i in range(5):
        cache.get_or_compute(db, i, compute(i))
    assert cache.get_or_compute(db, 4, compute(4)) == bytes(1000)
    assert calls == [0, 1, 2, 3, 4]  # 4 was kept
    cache.get_or_compute(db, 0, compute(0))
    assert calls == [0, 1, 2, 3, 4, 0]  # 0 was dropped: only three fit
    layers = layer_cache.LayerCache(max_bytes=10_000)
    big = [{"properties": {"name": "x" * 5000}}]
    layers.get_or_compute(db, "big", lambda: big)
    assert layers.get_or_compute(db, "big", lambda: []) == []  # three times its JSON: too big
    nothing = layer_cache.LayerCache(max_bytes=0)
    nothing.get_or_compute(db, "k", compute(7))
    nothing.get_or_compute(db, "k", compute(7))
    assert calls[-2:] == [7, 7]


def _until(check, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_one_answer_is_computed_once_for_requests_asking_at_the_same_time(db):
    engine = db.get_bind().engine
    calls: list[str] = []
    started, release = threading.Event(), threading.Event()

    def slow() -> bytes:
        calls.append(threading.current_thread().name)
        started.set()
        assert release.wait(10)  # until every other request is waiting for this one
        return b"tile"

    cache = layer_cache.LayerCache(max_bytes=10_000)
    answers: list[bytes] = []

    def ask() -> None:
        with Session(engine) as session:  # a request's own connection
            answers.append(cache.get_or_compute(session, "z12", slow))

    first = threading.Thread(target=ask, name="first")
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=ask, name=f"other-{i}") for i in range(3)]
    for t in others:
        t.start()
    _until(lambda: cache.misses == 4)  # all four asked while it was being computed
    release.set()
    for t in [first, *others]:
        t.join(10)
    assert calls == ["first"] and answers == [b"tile"] * 4 and cache.shared == 3

    # A computation that fails: the request waiting for it computes it itself, after it.
    order: list[str] = []
    started.clear()
    release.clear()

    def broken() -> bytes:
        order.append("broken starts")
        started.set()
        assert release.wait(10)
        order.append("broken fails")
        raise RuntimeError("database went away")

    def ask_broken() -> None:
        with Session(engine) as session, contextlib.suppress(RuntimeError):
            cache.get_or_compute(session, "z13", broken)

    failing = threading.Thread(target=ask_broken)
    failing.start()
    assert started.wait(10)
    retried: list[bytes] = []

    def ask_again() -> None:
        with Session(engine) as session:
            retried.append(
                cache.get_or_compute(session, "z13", lambda: order.append("retry") or b"r")
            )

    waiter = threading.Thread(target=ask_again)
    waiter.start()
    _until(lambda: cache.misses == 6)
    release.set()
    for t in (failing, waiter):
        t.join(10)
    assert order == ["broken starts", "broken fails", "retry"] and retried == [b"r"]
