"""Support for the cell key tests: an app that perturbs with the shipped table, reports made
in SQL by the hundred, and record keys from a seeded generator (same distribution as the
database's, but the same on every run)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

import httpx
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from app.models import Report, ReportStatus
from app.services.suppression import DEFAULT_TABLE, KEY_RANGE, perturbation_table
from tests.conftest import LiveServer
from tests.support.factories import make_report

SHIPPED = perturbation_table(DEFAULT_TABLE)


@pytest.fixture(scope="session")
def perturbing_live_server(settings, engine) -> Iterator[LiveServer]:
    """The app as deployed: the shipped perturbation table (the test settings' is zero-noise)."""
    server = LiveServer(settings.model_copy(update={"perturbation_table": None}))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def perturbing_client(perturbing_live_server, session_factory) -> Iterator[httpx.Client]:
    """A real HTTP client against the perturbing app, bound to this test's transaction."""
    perturbing_live_server.bind(session_factory)
    with httpx.Client(base_url=perturbing_live_server.url, timeout=30) as http:
        yield http
    perturbing_live_server.bind(None)


_CLONED = {"id", "public_id", "tracking_code_hash", "record_key", "mahalle_id"}
_CLONED |= {"municipality_id", "category_id", "occurred_on", "location", "public_location"}


def template_report(db, settings, lon: float, lat: float) -> Report:
    """One published report made by the service: the others are copies of it in SQL."""
    report, _ = make_report(db, settings, lon=lon, lat=lat, status=ReportStatus.published)
    return report


def insert_reports(
    db,
    template: Report,
    mahalle_codes: Sequence[str],
    categories: Sequence[str],
    months: Sequence[date],
) -> None:
    """Published copies of `template`, one per (mahalle code, category code, occurred_on),
    at the mahalle's representative point, in one INSERT."""
    columns = [c.name for c in Report.__table__.columns if c.name not in _CLONED]
    listed = ", ".join(f'"{c}"' for c in columns)
    copied = ", ".join(f't."{c}"' for c in columns)
    db.execute(
        text(
            f"""
            INSERT INTO report ({listed}, id, public_id, tracking_code_hash, mahalle_id,
                                municipality_id, category_id, occurred_on, location,
                                public_location)
            SELECT {copied}, gen_random_uuid(), left(md5(random()::text), 16),
                   md5(random()::text) || md5(random()::text), m.id, m.municipality_id, c.id,
                   v.day, ST_PointOnSurface(m.geom), ST_PointOnSurface(m.geom)
            FROM report t,
                 unnest(CAST(:mahalle AS text[]), CAST(:category AS text[]),
                        CAST(:day AS date[])) AS v(mahalle, category, day)
                 JOIN mahalle m ON m.code = v.mahalle
                 JOIN category c ON c.code = v.category
            WHERE t.id = :template
            """
        ),
        {
            "template": template.id,
            "mahalle": list(mahalle_codes),
            "category": list(categories),
            "day": list(months),
        },
    )


def seed_record_keys(db, seed: int) -> None:
    """Give every report and confirmation a record key from a seeded generator (0..255)."""
    rng = np.random.default_rng(seed)
    for table, id_type in (("report", "uuid"), ("confirmation", "bigint")):
        ids = [row[0] for row in db.execute(text(f"SELECT id FROM {table} ORDER BY id"))]
        keys = rng.integers(0, KEY_RANGE, len(ids)).tolist()
        db.execute(
            text(
                f"UPDATE {table} SET record_key = v.key FROM unnest(CAST(:ids AS {id_type}[]), "
                f"CAST(:keys AS int[])) AS v(id, key) WHERE {table}.id = v.id"
            ),
            {"ids": [str(i) for i in ids] if id_type == "uuid" else ids, "keys": keys},
        )


def ons_table(max_pcv: int = 750) -> pd.DataFrame:
    """The shipped table written out in the ONS package's form: pcv 1..750 (a count above the
    table's last pcv uses that row, so rows up to 750 repeat it)."""
    rows = [
        {"pcv": pcv, "ckey": ckey, "pvalue": SHIPPED.pvalue(pcv, ckey)}
        for pcv in range(1, max_pcv + 1)
        for ckey in range(KEY_RANGE)
    ]
    return pd.DataFrame(rows)
