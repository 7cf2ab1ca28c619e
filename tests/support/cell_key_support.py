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
from cell_key_perturbation.create_perturbed_table import create_perturbed_table
from sqlalchemy import text

from app.models import Report, ReportStatus
from app.services.suppression import DEFAULT_TABLE, KEY_RANGE, perturbation_table
from tests.conftest import LiveServer
from tests.support.dates import month_start
from tests.support.factories import make_report
from tests.support.planner_support import centre

SHIPPED = perturbation_table(DEFAULT_TABLE)

K = 5
CODES = [f"M{c}{r}" for c in range(3) for r in range(3)]
CATEGORIES = {  # one category per group; verbal_harassment is the sensitive one
    "dark_street": "lighting",
    "unsafe_stop": "transport",
    "verbal_harassment": "harassment",
    "deserted_area": "environment",
    "broken_sidewalk": "infrastructure",
    "other": "other",
}


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


def random_microdata(db, settings, seed: int) -> pd.DataFrame:
    """About 600 reports over the grid's mahalle, categories and three months; the record
    keys from a seeded generator; returned as the ONS package's microdata."""
    rng = np.random.default_rng(seed)
    template = template_report(db, settings, *centre(0, 0))
    n = 600
    months = [month_start(2), month_start(1), month_start(0)]
    # Skewed draws, so that many cells are small and every count from 0 to ~30 occurs.
    mahalle = rng.choice(CODES, n, p=np.arange(1, 10) / 45)
    category = rng.choice(list(CATEGORIES), n, p=[0.3, 0.1, 0.3, 0.15, 0.1, 0.05])
    day = [months[i] for i in rng.choice(3, n)]
    insert_reports(db, template, mahalle.tolist(), category.tolist(), day)
    db.execute(text("DELETE FROM report WHERE id = :id"), {"id": template.id})
    seed_record_keys(db, seed)
    return pd.DataFrame(
        db.execute(
            text(
                'SELECT m.code AS mahalle, c."group" AS grp, c.sensitive, r.record_key '
                "FROM report r JOIN mahalle m ON m.id = r.mahalle_id "
                "JOIN category c ON c.id = r.category_id"
            )
        ).all(),
        columns=["mahalle", "grp", "sensitive", "record_key"],
    )


def ons(data: pd.DataFrame, by: list[str], threshold: int) -> dict:
    table = create_perturbed_table(
        data=data,
        ptable=ons_table(),
        geog=["mahalle"],
        tab_vars=by,
        record_key="record_key",
        use_existing_ons_id=False,
        threshold=threshold,
    )
    key = ["mahalle", *by]
    return {
        tuple(r[c] for c in key) if by else r["mahalle"]: (
            None if pd.isna(r["count"]) else int(r["count"]),
            int(r["pre_sdc_count"]),
        )
        for _, r in table.iterrows()
    }
