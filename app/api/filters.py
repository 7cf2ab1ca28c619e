"""Query-string validators shared by the public endpoints (bbox, period, categories, paging)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from app.errors import InvalidInput
from app.geo.bbox import BBox, parse_bbox


def bbox_query(
    bbox: Annotated[
        str | None,
        Query(
            description="west,south,east,north in degrees (EPSG:4326)",
            examples=["32.7,39.8,32.9,40.0"],
        ),
    ] = None,
) -> BBox | None:
    if bbox is None:
        return None
    try:
        return parse_bbox(bbox)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="bbox") from exc


@dataclass(frozen=True)
class Period:
    since: date | None
    until: date | None


def period_query(
    since: Annotated[date | None, Query(description="First day (YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[date | None, Query(description="Last day (YYYY-MM-DD), inclusive.")] = None,
) -> Period:
    if since and until and since > until:
        raise InvalidInput("'since' must not be after 'until'.", field="since")
    return Period(since, until)


def categories_query(
    category: Annotated[
        list[str] | None,
        Query(description="Category code; repeat or comma-separate for several."),
    ] = None,
) -> tuple[str, ...]:
    codes = [c.strip() for item in (category or []) for c in item.split(",") if c.strip()]
    return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page_query(
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page (1-1000).")] = 500,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    return Page(limit, offset)


BBoxDep = Annotated[BBox | None, Depends(bbox_query)]
PeriodDep = Annotated[Period, Depends(period_query)]
CategoriesDep = Annotated[tuple[str, ...], Depends(categories_query)]
PageDep = Annotated[Page, Depends(page_query)]
