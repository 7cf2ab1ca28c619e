"""Query-string validators shared by the public endpoints (bbox, period, categories, paging)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from app.errors import InvalidInput
from app.geo.bbox import BBox, parse_bbox
from app.models import CategoryGroup


def bbox_query(
    bbox: Annotated[
        str | None,
        Query(
            description="west,south,east,north in degrees (EPSG:4326)",
            examples=["32.7,39.8,32.9,40.0"],
        ),
    ] = None,
) -> BBox | None:
    """The optional `bbox` as four validated numbers."""
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


# Dates a filter may name. Far wider than any report (they reach back two years), and narrow
# enough that a period, the period before it and the day after it are all valid dates
# (Python's dates end at 9999-12-31 and begin at 0001-01-01).
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)
# Queue ages in hours: up to a hundred years (a larger timedelta cannot be built).
MAX_AGE_HOURS = 100 * 366 * 24


def bounded_date(value: date | None, field: str) -> date | None:
    """`value`, or a clear 422 when it lies outside FIRST_DATE..LAST_DATE."""
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise InvalidInput(f"'{field}' must lie between {FIRST_DATE} and {LAST_DATE}.", field=field)
    return value


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def public_period_query(
    since: Annotated[
        date | None, Query(description="First day of a month (YYYY-MM-01), inclusive.")
    ] = None,
    until: Annotated[
        date | None, Query(description="Last day of a month (e.g. 2026-03-31), inclusive.")
    ] = None,
) -> Period:
    """A period of whole months: public figures never resolve a report to its day."""
    bounded_date(since, "since")
    bounded_date(until, "until")
    if since and since.day != 1:
        raise InvalidInput(
            f"'since' must be the first day of a month (e.g. {since.replace(day=1)}): public "
            "figures are given for whole months.",
            field="since",
        )
    if until and until != _month_end(until):
        raise InvalidInput(
            f"'until' must be the last day of a month (e.g. {_month_end(until)}): public "
            "figures are given for whole months.",
            field="until",
        )
    if since and until and since > until:
        raise InvalidInput("'since' must not be after 'until'.", field="since")
    return Period(since, until)


def _codes(values: list[str] | None, field: str) -> tuple[str, ...]:
    codes = [c.strip() for item in (values or []) for c in item.split(",") if c.strip()]
    if any("\x00" in code for code in codes):
        raise InvalidInput(f"'{field}' contains a NUL character.", field=field)
    return tuple(dict.fromkeys(codes))


def categories_query(
    category: Annotated[
        list[str] | None,
        Query(description="Category code; repeat or comma-separate for several."),
    ] = None,
) -> tuple[str, ...]:
    """Category codes from `category=a,b` or `category=a&category=b`."""
    return _codes(category, "category")


def groups_query(
    group: Annotated[
        list[CategoryGroup] | None,
        Query(description="Category group; repeat for several."),
    ] = None,
) -> tuple[CategoryGroup, ...]:
    """Category groups (public aggregates filter by group, never by a single category)."""
    return tuple(dict.fromkeys(group or []))


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page_query(
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page (1-1000).")] = 500,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    """Limit/offset paging."""
    return Page(limit, offset)


BBoxDep = Annotated[BBox | None, Depends(bbox_query)]
PublicPeriodDep = Annotated[Period, Depends(public_period_query)]
CategoriesDep = Annotated[tuple[str, ...], Depends(categories_query)]
GroupsDep = Annotated[tuple[CategoryGroup, ...], Depends(groups_query)]
PageDep = Annotated[Page, Depends(page_query)]


def municipality_query(
    municipality: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Code of a municipality (GET /api/v1/municipalities): only its area, "
            "its districts included. Default: the whole deployment.",
            examples=["cankaya"],
        ),
    ] = None,
) -> str | None:
    """The optional `municipality=` code (resolved, and refused when unknown, by the service)."""
    return municipality.strip() or None if municipality is not None else None


MunicipalityCode = Annotated[str | None, Depends(municipality_query)]
