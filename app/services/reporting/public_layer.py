"""The public report layer: published, non-sensitive reports at their displaced points.

A report's "me too" count is a published count like any other (DESIGN.md §11): perturbed by
the cell key of its confirmations' record keys, and withheld (null, with
`confirmations_suppressed`) while it, or its true count, is below the municipality's k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    JSON,
    ColumnElement,
    Integer,
    ScalarSelect,
    Select,
    String,
    Text,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.orm import Session

from app.config import Settings
from app.geo.bbox import BBox
from app.geo.geojson import COORD_DECIMALS, feature, feature_collection, point
from app.models import (
    Category,
    Confirmation,
    Mahalle,
    Report,
    ReportPhoto,
    ReportSource,
)
from app.services.reference import area_for_code, municipality_k
from app.services.reporting import page_plan, photos
from app.services.reporting.photos import PHOTO_URL
from app.services.suppression import PTable, cell_key, perturbation_table, published_single
from app.services.visibility import (
    public_point_reports,
    public_text_expr,
)


@dataclass(frozen=True)
class ReportFilters:
    bbox: BBox | None = None
    categories: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    municipality: str | None = None  # a code: only its area (its districts' included)
    # A further condition on the public point (an OGC API CQL2 filter on its properties).
    where: ColumnElement[bool] | None = None


def _apply_filters(stmt, filters: ReportFilters):
    if filters.where is not None:
        stmt = stmt.where(filters.where)
    if filters.categories:
        stmt = stmt.where(Category.code.in_(filters.categories))
    if filters.since:
        stmt = stmt.where(Report.occurred_on >= filters.since)
    if filters.until:
        stmt = stmt.where(Report.occurred_on <= filters.until)
    if filters.bbox:
        # `&&` is ST_Intersects for points, minus a cost (10,000/row) that misled the planner.
        envelope = func.ST_MakeEnvelope(*filters.bbox, 4326)
        stmt = stmt.where(Report.public_location.op("&&")(envelope))
    return stmt


def confirmation_count() -> ScalarSelect[int]:
    """The number of "me too" confirmations of the report in the enclosing query."""
    return (
        select(func.count(Confirmation.id))
        .where(Confirmation.report_id == Report.id)
        .scalar_subquery()
    )


# For this transaction only: no JIT (PostGIS's costs make PostgreSQL compile these queries,
# which took 1.45 s of a 1.0 s count over the whole city at 50,000 reports), and a plan for
# the actual box each time (a generic plan, chosen after a few prepared executions, suits
# small boxes and is many times slower for the whole city).
PAGE_SETTINGS = text(
    "SELECT set_config('jit', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true)"
)


def confirmation_cell_key() -> ScalarSelect[int]:
    """The cell key of the report's confirmations in the enclosing query (sum mod 256)."""
    return (
        select(cell_key(Confirmation.record_key))
        .where(Confirmation.report_id == Report.id)
        .scalar_subquery()
    )


class ConfirmationCounts:
    """Publishes reports' "me too" counts: perturbed, and withheld below their area's k."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self._setup(session, perturbation_table(settings.perturbation_table), settings.k_threshold)

    @classmethod
    def with_table(cls, session: Session, table: PTable, floor: int) -> ConfirmationCounts:
        """The same, for a caller that holds the table and the deployment's k already."""
        counts = cls.__new__(cls)
        counts._setup(session, table, floor)
        return counts

    def _setup(self, session: Session, table: PTable, floor: int) -> None:
        self._table = table
        self._floor = floor
        self._k = municipality_k(session, floor)

    def publish(self, count: int, ckey: int, municipality_id: int) -> dict:
        """`confirmations` (None when withheld) and `confirmations_suppressed`."""
        k = self._k.get(municipality_id, self._floor)
        shown = published_single(self._table, count, ckey, k)
        return {"confirmations": shown, "confirmations_suppressed": shown is None}

    def sql(self) -> tuple[ColumnElement, ColumnElement]:
        """`publish` in SQL, for features PostgreSQL assembles: (confirmations, suppressed).

        The same rule as `suppression.published_single`: 0 stays 0; a count below k, or one
        whose perturbed value falls below k, is withheld; else count + pvalue(count, cell key)
        from the same table (bound once as a JSON array of its rows)."""
        n = confirmation_count()
        key = confirmation_cell_key()
        k = (
            case(self._k, value=Report.municipality_id, else_=self._floor)
            if self._k
            else literal_column(str(int(self._floor)))
        )
        rows = literal([list(r) for r in self._table.rows], type_=JSONB)
        row = cast(func.least(n, self._table.max_pcv) - 1, String)
        noise = cast(func.jsonb_extract_path_text(rows, row, cast(key, String)), Integer)
        published = n + noise
        shown = case((n == 0, 0), (n < k, None), (published >= k, published), else_=None)
        withheld = case((n == 0, False), (n < k, True), (published >= k, False), else_=True)
        return shown, withheld


def public_points(session: Session, filters: ReportFilters) -> Select:
    """The public points matching `filters`: the one query behind the JSON API's layer and the
    OGC API's report collections (published with a publication time, so the newest-first
    index scan skips never-published rows)."""
    area = area_for_code(session, filters.municipality)
    return _apply_filters(public_point_reports(area), filters).where(
        Report.published_at.is_not(None)
    )


NEWEST_FIRST = (Report.published_at.desc(), Report.public_id.desc())


def _feature_columns() -> tuple:
    """What `public_feature` reads of a public point (its "me too" count with its cell key,
    to be published through `ConfirmationCounts`)."""
    return (
        Report.id,
        Report.public_id,
        func.ST_X(Report.public_location).label("lon"),
        func.ST_Y(Report.public_location).label("lat"),
        Category.code.label("category"),
        Category.group.label("category_group"),
        Category.labels.label("category_labels"),
        Report.time_band,
        Report.occurred_on,
        Report.perceived_safety,
        public_text_expr().label("text"),
        Report.municipal_status,
        Report.source,
        Mahalle.name.label("mahalle"),
        Report.municipality_id,
        confirmation_count().label("confirmations"),
        confirmation_cell_key().label("confirmations_ckey"),
    )


def published_points_page(
    session: Session, filters: ReportFilters, *, limit: int, offset: int
) -> tuple[int, list[dict]]:
    """Public report points (displaced, non-sensitive): (total matched, one page of rows),
    each with its true "me too" count and cell key (to be published through
    `ConfirmationCounts`, never as they are)."""
    base = public_points(session, filters)
    session.execute(PAGE_SETTINGS)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .with_only_columns(*_feature_columns())
        .order_by(*NEWEST_FIRST)
        .limit(limit)
        .offset(offset)
    ).mappings()
    return total, [dict(r) for r in rows]


def public_id_of(session: Session, report_id) -> str | None:
    """The public id of a report given its internal id (None for None)."""
    if report_id is None:
        return None
    return session.scalar(select(Report.public_id).where(Report.id == report_id))


def category_code(session: Session, category_id: int) -> str:
    """The code of a category given its id."""
    return session.scalar(select(Category.code).where(Category.id == category_id)) or ""


def public_feature(row: dict, counts: ConfirmationCounts, photo_urls: Sequence[str] = ()) -> dict:
    """One published report as a GeoJSON feature: displaced point, no personal data."""
    props = {
        "public_id": row["public_id"],
        "category": row["category"],
        "category_group": row["category_group"].value,
        "category_labels": row["category_labels"],
        "time_band": row["time_band"].value,
        # Month, not day: a day and a place together can point at a person.
        "occurred_month": row["occurred_on"].strftime("%Y-%m"),
        "perceived_safety": row["perceived_safety"],
        "text": row["text"],
        "municipal_status": row["municipal_status"].value,
        "mahalle": row["mahalle"],
        **counts.publish(row["confirmations"], row["confirmations_ckey"], row["municipality_id"]),
        "demo": row["source"] is ReportSource.demo,
        "photos": list(photo_urls),
    }
    return feature(point(row["lon"], row["lat"]), props, id_=row["public_id"])


def public_report_collection(
    session: Session, settings: Settings, filters: ReportFilters, *, limit: int, offset: int
) -> dict:
    """A page of published, non-sensitive reports as a FeatureCollection (OGC-style paging)."""
    total, rows = published_points_page(session, filters, limit=limit, offset=offset)
    urls = photos.public_photo_urls(session, [r["id"] for r in rows])
    counts = ConfirmationCounts(session, settings)
    features = [public_feature(r, counts, urls.get(r["id"], [])) for r in rows]
    return feature_collection(
        features,
        numberMatched=total,
        numberReturned=len(features),
        next_offset=offset + len(features) if offset + len(features) < total else None,
    )


def _json_object(**pairs) -> ColumnElement:
    """json_build_object with constant keys (as SQL literals: a bound key has no type)."""
    args: list = []
    for key, value in pairs.items():
        args += [literal_column(f"'{key}'"), value]
    return func.json_build_object(*args)


EMPTY_JSON_ARRAY: ColumnElement = literal_column("'[]'::json")


def _photo_urls_json() -> ScalarSelect:
    """The photo URLs of the report in the enclosing query, in order, as a JSON array."""
    url: ColumnElement = literal_column(f"'{PHOTO_URL.format(id='')}'") + cast(
        ReportPhoto.id, String
    )
    return (
        select(
            func.coalesce(
                func.json_agg(aggregate_order_by(url, ReportPhoto.position)), EMPTY_JSON_ARRAY
            )
        )
        .where(ReportPhoto.report_id == Report.id)
        .scalar_subquery()
    )


def feature_json(counts: ConfirmationCounts) -> ColumnElement:
    """One public point as a GeoJSON Feature built by PostgreSQL: `public_feature`'s members."""
    shown, withheld = counts.sql()
    return _json_object(
        type=literal_column("'Feature'"),
        id=Report.public_id,
        geometry=cast(func.ST_AsGeoJSON(Report.public_location, COORD_DECIMALS), JSON),
        properties=_json_object(
            public_id=Report.public_id,
            category=Category.code,
            category_group=Category.group,
            category_labels=Category.labels,
            time_band=Report.time_band,
            # Month, not day: see `public_feature`.
            occurred_month=func.to_char(Report.occurred_on, "YYYY-MM"),
            perceived_safety=Report.perceived_safety,
            text=public_text_expr(),
            municipal_status=Report.municipal_status,
            mahalle=Mahalle.name,
            confirmations=shown,
            confirmations_suppressed=withheld,
            demo=Report.source == ReportSource.demo,
            photos=_photo_urls_json(),
        ),
    )


# No parallel workers either: under many requests they take the cores other requests need.
PLAN_SETTINGS = text(
    "SELECT set_config('jit', 'off', true), "
    "set_config('plan_cache_mode', 'force_custom_plan', true), "
    "set_config('max_parallel_workers_per_gather', '0', true)"
)


def _newest_page(session: Session, settings: Settings, filters: ReportFilters, limit, offset):
    """The page's features (column `f`), newest first: by place in a box where that is
    cheaper (`page_plan`), else walking the publication-time index."""
    candidates = public_points(session, filters)
    feature = feature_json(ConfirmationCounts(session, settings)).label("f")
    if filters.bbox is not None and page_plan.by_place(session, candidates, offset + limit):
        newest = page_plan.newest_by_place(candidates, limit, offset)
        return (
            select(feature)
            .select_from(newest)
            .join(Report, Report.id == newest.c.id)
            .join(Category, Category.id == Report.category_id)
            .outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
            .order_by(newest.c.published_at.desc(), newest.c.public_id.desc())
        )
    return (
        candidates.outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .with_only_columns(feature)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
        .offset(offset)
    )


def public_points_json(
    session: Session, settings: Settings, filters: ReportFilters, *, limit: int, offset: int
) -> tuple[str, int, bool]:
    """One page of public points as a JSON array of Features assembled in PostgreSQL, no
    Python per feature: (features, how many, whether more follow).

    One statement: the page and one row more (which says whether another page follows).
    """
    # Plans chosen on purpose: a generic plan (psycopg prepares a statement after a few runs)
    # suits small boxes and is many times slower for the whole city, so plan each with its
    # own values; JIT compilation took most of these queries' time (issue 11's measurements).
    session.execute(PLAN_SETTINGS)
    page = _newest_page(session, settings, filters, limit + 1, offset).subquery("page")
    numbered = select(page.c.f, func.row_number().over().label("n")).subquery("numbered")
    shown = numbered.c.n <= limit
    features = func.coalesce(
        func.json_agg(aggregate_order_by(numbered.c.f, numbered.c.n)).filter(shown),
        EMPTY_JSON_ARRAY,
    )
    # As text: psycopg would decode JSON into Python objects, only for them to be encoded again.
    row = session.execute(select(cast(features, Text), func.count()).select_from(numbered)).one()
    fetched = int(row[1])
    return row[0], min(fetched, limit), fetched > limit


def public_point_json(
    session: Session, settings: Settings, public_id: str, municipality: str | None
) -> str | None:
    """One public point as a GeoJSON Feature (JSON text), or None when it is not public."""
    counts = ConfirmationCounts(session, settings)
    found = session.scalar(
        public_points(session, ReportFilters(municipality=municipality))
        .outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .where(Report.public_id == public_id)
        .with_only_columns(cast(feature_json(counts), Text))
    )
    return found


def public_details(
    session: Session, counts: ConfirmationCounts, public_ids: Sequence[str]
) -> dict[str, dict]:
    """{public id: the properties of its public feature} of these published, non-sensitive
    reports (the popups of a map drawn from tiles); others are left out."""
    if not public_ids:
        return {}
    rows = session.execute(
        public_point_reports()
        .where(Report.public_id.in_(list(public_ids)))
        .outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .with_only_columns(*_feature_columns())
    ).mappings()
    found = [dict(r) for r in rows]
    urls = photos.public_photo_urls(session, [r["id"] for r in found])
    return {
        r["public_id"]: public_feature(r, counts, urls.get(r["id"], []))["properties"]
        for r in found
    }
