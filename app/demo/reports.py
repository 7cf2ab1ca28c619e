"""The Ankara demo: real boundaries and population, sample services, generated reports.

Reports are generated, never real (none are openly available), and carry source "demo".
Every random choice about a report comes from one fixed seed, so a rerun produces the same
reports (only their dates follow today's date) and inserts nothing twice: rows are keyed on
their public id. Tracking codes are the exception: the seed is public, so they come from the
system's CSPRNG (`secrets`), and are shown once, when their report is first inserted.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from statistics import median
from typing import TypeVar, cast

from sqlalchemy import CursorResult, Table, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.config import Settings
from app.demo.queue import _municipal_response, prepare_demo_queue
from app.errors import OutsideDeploymentArea
from app.geo.displacement import offset
from app.models import (
    AgeBand,
    Category,
    CategoryGroup,
    Confirmation,
    Gender,
    Mahalle,
    MunicipalStatus,
    Report,
    ReportNote,
    ReportSource,
    ReportStatus,
)
from app.schemas.reporting import CONSENT_VERSION
from app.services.clock import LOCAL_TZ, time_band_at
from app.services.reference import indexes_inside_mahalle
from app.services.reporting import (
    hash_tracking_code,
    new_public_id,
    new_tracking_code,
    place_report,
)

DEMO_SEED = 2025
DEMO_REPORTS = 600
PUBLISHED_SHARE = 0.75
T = TypeVar("T")
_ID_NAMESPACE = uuid.UUID("5b0f3c1e-9f51-4d51-9a55-6d6f72686172")

# Share of reports per category: lighting and harassment dominate women's safety audits.
CATEGORY_WEIGHTS = {
    "dark_street": 16, "broken_street_light": 9, "unsafe_stop": 8, "no_night_service": 5,
    "harassment_in_transport": 9, "verbal_harassment": 12, "following": 7,
    "physical_harassment": 3, "deserted_area": 8, "abandoned_building": 3, "no_visibility": 4,
    "unsafe_underpass": 5, "unsafe_park": 6, "broken_sidewalk": 6, "no_crossing": 4, "other": 2,
}  # fmt: skip

# A few denser places: (name, lon, lat, spread in metres, reports, categories that dominate).
CLUSTERS = (
    ("Kızılay", 32.8541, 39.9208, 250, 48, ("harassment_in_transport", "verbal_harassment")),
    ("Tunalı Hilmi", 32.8600, 39.9035, 200, 30, ("verbal_harassment", "following")),
    ("Söğütözü", 32.8090, 39.9120, 300, 24, ("unsafe_underpass", "deserted_area")),
    ("Batıkent", 32.7290, 39.9690, 300, 30, ("dark_street", "unsafe_stop")),
    ("Demetevler", 32.7760, 39.9640, 250, 24, ("dark_street", "unsafe_park")),
)

TEXTS = {
    "dark_street": ("Sokak lambaları hiç yanmıyor, akşam eve yürürken çok tedirgin oluyorum.",
                    "Sokak tamamen karanlık, özellikle kışın 17:00'den sonra yürümek zor."),
    "broken_street_light": ("Köşedeki lamba aylardır bozuk.", "Parkın yanındaki iki direk yanmıyor."),
    "unsafe_stop": ("Durak çok ıssız, gece otobüs beklerken yalnız kalıyorum.",
                    "Durakta aydınlatma yok ve etrafta kimse olmuyor."),
    "no_night_service": ("22:00'den sonra otobüs yok, taksiye mecbur kalıyoruz.",),
    "harassment_in_transport": ("Kalabalık metroda biri sürekli yaklaştı.",
                                "Otobüste rahatsız edici bakışlar ve laf atma."),
    "verbal_harassment": ("Kafenin önünden geçerken laf atıyorlar.",
                          "Akşamları köşede toplanan grup yorum yapıyor."),
    "following": ("Metrodan çıktıktan sonra biri eve kadar peşimden geldi.",
                  "Aynı araba iki gün üst üste yavaşlayıp takip etti."),
    "physical_harassment": ("Kalabalıkta biri kasten dokundu.",),
    "deserted_area": ("İnşaat alanının yanı çok tenha, akşam hiç kimse yok.",
                      "Bu yol akşamları bomboş kalıyor."),
    "abandoned_building": ("Terk edilmiş binanın önünden geçmekten korkuyorum.",),
    "no_visibility": ("Çalılar yolu kapatmış, köşeyi dönünce kimin olduğunu göremiyorsunuz.",),
    "unsafe_underpass": ("Alt geçit karanlık ve idrar kokuyor, kimse kullanmak istemiyor.",
                         "Üst geçidin merdivenleri çok ıssız."),
    "unsafe_park": ("Park akşam tamamen karanlık, bankların çevresi tenha.",),
    "broken_sidewalk": ("Kaldırım kırık, bebek arabasıyla yola inmek zorunda kalıyorum.",),
    "no_crossing": ("Okul önünde yaya geçidi yok, çocuklar koşarak karşıya geçiyor.",),
    "other": ("Bölgede güvenlik kamerası yok.",),
}  # fmt: skip

# Hour of the day an incident happened: evening and night weigh most, as in safety audits.
_HOUR_WEIGHTS = (2, 1, 1, 0.5, 0.5, 0.5, 1, 2, 3, 2, 1.5, 1.5,
                 1.5, 1.5, 1.5, 2, 2.5, 3.5, 4, 4, 3.5, 3, 2.5, 2)  # fmt: skip
_DARK_HOURS = (18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5)
_GENDERS = ((Gender.woman, 78), (Gender.undisclosed, 7), (Gender.other, 2), (Gender.man, 3),
            (None, 10))  # fmt: skip
_AGE_BANDS = ((AgeBand.under_18, 4), (AgeBand.age_18_24, 22), (AgeBand.age_25_34, 26),
              (AgeBand.age_35_44, 17), (AgeBand.age_45_54, 10), (AgeBand.age_55_64, 5),
              (AgeBand.age_65_plus, 2), (AgeBand.undisclosed, 4), (None, 10))  # fmt: skip
_SAFETY_SENSITIVE = (35, 30, 20, 10, 5)
_SAFETY_OTHER = (15, 30, 30, 17, 8)


def _pick(rng: random.Random, weighted: tuple[tuple[T, float], ...]) -> T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass(frozen=True)
class _Spot:
    lon: float
    lat: float
    favoured: tuple[str, ...] = ()  # categories that dominate at a cluster


def _background_spots(session: Session, rng: random.Random, count: int) -> list[_Spot]:
    """Points spread over mahalle by population (PostGIS ST_GeneratePoints, seeded)."""
    mahalle = session.execute(
        select(Mahalle.id, Mahalle.population_total).order_by(Mahalle.code)
    ).all()
    known = [p for _, p in mahalle if p]
    # Mahalle without figures (Yenimahalle in the demo) weigh as a typical one.
    typical = median(known) if known else 1000
    weights = [p if p else typical for _, p in mahalle]
    per_mahalle = Counter(rng.choices([m for m, _ in mahalle], weights, k=count))
    ids = sorted(per_mahalle)
    rows = session.execute(
        text(
            "SELECT ST_X(d.geom), ST_Y(d.geom)"
            " FROM unnest(CAST(:ids AS integer[]), CAST(:ns AS integer[]),"
            "             CAST(:seeds AS integer[])) WITH ORDINALITY AS a(id, n, seed, i)"
            " JOIN mahalle AS m ON m.id = a.id"
            " CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(m.geom, a.n, a.seed)) AS d"
            " ORDER BY a.i, d.path"
        ),
        {
            "ids": ids,
            "ns": [per_mahalle[i] for i in ids],
            "seeds": [rng.randint(1, 2**31 - 1) for _ in ids],
        },
    ).all()
    return [_Spot(lon, lat) for lon, lat in rows]


def _cluster_spots(session: Session, rng: random.Random) -> list[_Spot]:
    """Points scattered around the clusters' centres, kept where they fall inside a mahalle."""
    spots = []
    for _, lon, lat, spread, count, favoured in CLUSTERS:
        for _ in range(count):
            x, y = offset(lon, lat, abs(rng.gauss(0, spread)), rng.uniform(0, 6.283185307))
            spots.append(_Spot(x, y, favoured))
    inside = indexes_inside_mahalle(session, [s.lon for s in spots], [s.lat for s in spots])
    return [s for i, s in enumerate(spots, start=1) if i in inside]


def _report_row(
    rng: random.Random,
    spot: _Spot,
    categories: dict[str, Category],
    now: datetime,
) -> dict:
    """The attributes of one generated report (no location yet)."""
    codes = [c for c in CATEGORY_WEIGHTS if c in categories]
    weights = [CATEGORY_WEIGHTS[c] * (6 if c in spot.favoured else 1) for c in codes]
    category = categories[rng.choices(codes, weights)[0]]
    dark = category.group == CategoryGroup.lighting
    hour = rng.choice(_DARK_HOURS) if dark else rng.choices(range(24), _HOUR_WEIGHTS)[0]
    day = now.date() - timedelta(days=rng.randint(1, 365))
    moment = datetime.combine(day, time(hour, rng.randrange(60)), LOCAL_TZ)
    created = min(moment + timedelta(hours=rng.uniform(0.2, 48)), now)
    published = rng.random() < PUBLISHED_SHARE
    published_at = min(created + timedelta(hours=rng.uniform(2, 72)), now) if published else None
    safety = rng.choices(range(1, 6), _SAFETY_SENSITIVE if category.sensitive else _SAFETY_OTHER)
    municipal, resolved_at = MunicipalStatus.none, None
    if published_at and not category.sensitive:
        roll = rng.random()
        if roll < 0.2:
            municipal = MunicipalStatus.forwarded
        elif roll < 0.3:
            municipal = MunicipalStatus.in_progress
        elif roll < 0.5:
            resolved_at = published_at + timedelta(days=rng.uniform(3, 45))
            municipal = (
                MunicipalStatus.resolved if resolved_at < now else MunicipalStatus.in_progress
            )
            resolved_at = resolved_at if resolved_at < now else None
    wrote_text = rng.random() < 0.45
    return {
        "category_id": category.id,
        "occurred_on": moment.date(),
        "time_band": time_band_at(moment),
        "perceived_safety": safety[0],
        "text": rng.choice(TEXTS.get(category.code, ("",))) if wrote_text else "",
        "reporter_gender": _pick(rng, _GENDERS),
        "reporter_age_band": _pick(rng, _AGE_BANDS),
        "status": ReportStatus.published if published else ReportStatus.pending,
        "municipal_status": municipal,
        "published_at": published_at,
        "resolved_at": resolved_at,
        "forwarded_at": None,
        "municipal_department": None,
        "created_at": created,
        "updated_at": resolved_at or published_at or created,
    }


@dataclass(frozen=True)
class DemoReports:
    """Demo reports in the database after a load, and one tracking code to try (only when
    this load inserted reports: codes are never stored, so never shown twice)."""

    total: int
    published: int
    pending: int
    inserted: int
    confirmations: int
    tracking_code: str | None
    queue: dict[str, str]
    rekeyed: int = 0


def load_demo_reports(
    session: Session, settings: Settings, *, now: datetime | None = None
) -> DemoReports:
    """Generate the seeded demo reports and a few "me too" confirmations (idempotent)."""
    now = now or datetime.now(LOCAL_TZ)
    rng = random.Random(DEMO_SEED)
    # Ids come from their own stream, so the n-th report keeps its public id even if the
    # boundaries change between runs: a rerun can then never insert a duplicate.
    id_rng = random.Random(rng.getrandbits(64))
    categories = {c.code: c for c in session.scalars(select(Category).where(Category.active))}
    clusters = _cluster_spots(session, rng)
    spots = clusters + _background_spots(session, rng, DEMO_REPORTS - len(clusters))

    rows, codes, public_ids, seeded = [], [], set(), []
    inside = indexes_inside_mahalle(session, [s.lon for s in spots], [s.lat for s in spots])
    for index, spot in enumerate(spots, start=1):
        row = _report_row(rng, spot, categories, now)
        if index not in inside:
            continue
        public_id = new_public_id(id_rng, prefix="demo")
        while public_id in public_ids:
            public_id = new_public_id(id_rng, prefix="demo")
        public_ids.add(public_id)
        # Placed as every report is: from its own offsets (its public id and the secret key).
        try:
            placement = place_report(session, settings, spot.lon, spot.lat, public_id)
        except OutsideDeploymentArea:
            continue
        if placement.mahalle is None:
            continue
        # Still drawn from the seeded stream, so public ids stay those of earlier loads; a
        # report of such a load that still holds this derivable code gets a fresh one below.
        seeded_hash = hash_tracking_code(new_tracking_code(id_rng))
        code = new_tracking_code()  # the CSPRNG: nothing public gives it away
        codes.append((public_id, code, row["status"]))
        seeded.append((uuid.uuid5(_ID_NAMESPACE, public_id), seeded_hash))
        rows.append(
            {
                **row,
                "id": uuid.uuid5(_ID_NAMESPACE, public_id),
                "public_id": public_id,
                "location": f"SRID=4326;POINT({spot.lon!r} {spot.lat!r})",
                "public_location": f"SRID=4326;{placement.public_point.wkt}",
                "mahalle_id": placement.mahalle.id,
                "municipality_id": placement.municipality_id,
                "tracking_code_hash": hash_tracking_code(code),
                "source": ReportSource.demo,
                "consent_version": CONSENT_VERSION,
            }
        )
    groups = {c.id: c.group for c in categories.values()}
    notes = _municipal_response(random.Random(DEMO_SEED + 1), rows, groups, now)
    table = cast(Table, Report.__table__)
    inserted = session.execute(
        insert(table).on_conflict_do_nothing().returning(table.c.id), rows
    ).scalars()
    new_ids = set(inserted)
    inserted_ids = {r["public_id"] for r in rows if r["id"] in new_ids}
    confirmations = _confirmations(rng, [r for r in rows if r["id"] in new_ids], now)
    if confirmations:
        session.execute(insert(cast(Table, Confirmation.__table__)), confirmations)
    notes = [n for n in notes if n["report_id"] in new_ids]
    if notes:
        session.execute(insert(cast(Table, ReportNote.__table__)), notes)
    session.flush()
    rekeyed = _replace_seeded_codes(session, [s for s in seeded if s[0] not in new_ids])
    queue = prepare_demo_queue(session, settings)

    counts = dict(
        session.execute(
            select(Report.status, func.count())
            .where(Report.source == ReportSource.demo)
            .group_by(Report.status)
        ).all()
    )
    confirmed = session.scalar(
        select(func.count(Confirmation.id))
        .join(Report, Report.id == Confirmation.report_id)
        .where(Report.source == ReportSource.demo)
    )
    # Only a report inserted now has a code anyone knows (only hashes are stored).
    fresh = [(code, status) for public_id, code, status in codes if public_id in inserted_ids]
    published_codes = [c for c, status in fresh if status == ReportStatus.published]
    example = next(iter(published_codes or [c for c, _ in fresh]), None)
    return DemoReports(
        total=sum(counts.values()),
        published=counts.get(ReportStatus.published, 0),
        pending=counts.get(ReportStatus.pending, 0),
        inserted=len(new_ids),
        confirmations=confirmed or 0,
        tracking_code=example,
        queue=queue,
        rekeyed=rekeyed,
    )


def _replace_seeded_codes(session: Session, seeded: list[tuple[uuid.UUID, str]]) -> int:
    """Give a fresh code to every demo report still holding the one the public seed gave it
    (loaded by an earlier version); the number of reports changed."""
    if not seeded:
        return 0
    result = session.execute(
        text(
            "UPDATE report AS r SET tracking_code_hash = s.fresh"
            " FROM unnest(CAST(:ids AS uuid[]), CAST(:old AS text[]), CAST(:fresh AS text[]))"
            "      AS s(id, old, fresh)"
            " WHERE r.id = s.id AND r.tracking_code_hash = s.old AND r.source = 'demo'"
        ),
        {
            "ids": [report_id for report_id, _ in seeded],
            "old": [old for _, old in seeded],
            "fresh": [hash_tracking_code(new_tracking_code()) for _ in seeded],
        },
    )
    return cast(CursorResult, result).rowcount


def _confirmations(rng: random.Random, rows: list[dict], now: datetime) -> list[dict]:
    """A few "me too" confirmations on published reports, after they were published."""
    result = []
    for row in rows:
        if row["published_at"] is None or rng.random() > 0.15:
            continue
        for _ in range(rng.choice((1, 1, 2, 3))):
            result.append(
                {
                    "report_id": row["id"],
                    "municipality_id": row["municipality_id"],
                    "created_at": min(
                        row["published_at"] + timedelta(hours=rng.uniform(1, 24 * 20)), now
                    ),
                    "reporter_gender": _pick(rng, _GENDERS),
                    "reporter_age_band": _pick(rng, _AGE_BANDS),
                }
            )
    return result
