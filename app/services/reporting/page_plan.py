"""How a page of public points is read, newest first: walking the time index, or by place.

Two plans answer a bbox page. Walking the publication-time index backwards stops once the
page is full, which is fast when the box holds a good share of the public points (the whole
city); in a small dense box it reads about N·P/M rows to find N (P public points, M of them
in the box). Reading the box's points from the partial GiST index and sorting them costs M.
PostgreSQL picks from the LIMIT alone and walked 7,000 rows for a page of 100 in a 1 km box
at 1M reports (three times the cost of reading the box). So the choice is made here, from
PostgreSQL's own estimates: M from EXPLAIN of the page's filters (its 2D histogram of the
points was within 3 % at Kızılay), P from the partial index's size; by place when
M² < BY_PLACE_FACTOR · N · P. Points of a box sit a few to a heap block, a walked row one,
hence the factor.
"""

from __future__ import annotations

import json

from sqlalchemy import Select, Subquery, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.models import Report

BY_PLACE_FACTOR = 4
PUBLIC_POINT_INDEX = "ix_report_public_point_location"

_PUBLIC_POINTS = text(
    "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE relname = :index AND relkind = 'i'"
)


def estimated_rows(session: Session, stmt: Select) -> float:
    """PostgreSQL's estimate of the rows `stmt` returns (EXPLAIN; nothing is read)."""
    compiled = stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    plan = session.execute(text(f"EXPLAIN (FORMAT JSON) {compiled}")).scalar_one()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def by_place(session: Session, candidates: Select, wanted: int) -> bool:
    """Whether the `wanted` newest of `candidates` (a bbox's public points) are best read by
    place rather than by walking the time index (see the module's docstring)."""
    public = session.execute(_PUBLIC_POINTS, {"index": PUBLIC_POINT_INDEX}).scalar() or 0
    if not public:
        return False  # not analysed yet: PostgreSQL's own choice
    matches = estimated_rows(session, candidates.with_only_columns(Report.id))
    return matches * matches < BY_PLACE_FACTOR * wanted * public


def newest_by_place(candidates: Select, limit: int, offset: int) -> Subquery:
    """The page's (id, published_at, public_id), newest first, read by place: the candidates
    are a materialised CTE, so no plan can walk the time index for them."""
    chosen = (
        candidates.with_only_columns(Report.id, Report.published_at, Report.public_id)
        .cte("by_place")
        .prefix_with("MATERIALIZED")
    )
    return (
        select(chosen.c.id, chosen.c.published_at, chosen.c.public_id)
        .order_by(chosen.c.published_at.desc(), chosen.c.public_id.desc())
        .limit(limit)
        .offset(offset)
        .subquery("newest")
    )
