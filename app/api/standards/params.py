"""OGC API query parameters, parsed and validated in dependencies (bbox, datetime, paging, f).

Each is read from the raw query string, so that every mistake is answered 400 in the OGC
exception format with a message that names the parameter and what it should be.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import Depends, Request

from app.errors import InvalidInput
from app.geo.bbox import BBox, parse_ogc_bbox
from app.services.standards import FILTER_LANG, Interval, ItemQuery

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
MAX_OFFSET = 100_000_000
# Parameters any OGC resource takes: the format, and the interface language of the pages.
COMMON = ("f", "lang")
ITEMS = (*COMMON, "bbox", "datetime", "limit", "offset", "filter", "filter-lang")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def only(*names: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency that refuses query parameters other than `names` (400)."""

    async def check(request: Request) -> None:
        unknown = sorted({key for key in request.query_params if key not in names})
        if unknown:
            raise InvalidInput(
                f"Unknown query parameter(s): {', '.join(unknown)}. This resource takes: "
                f"{', '.join(names)}.",
                field=unknown[0],
            )

    return check


async def output_format(request: Request) -> str:
    """`f=json|html`, else the Accept header: HTML for a browser, JSON for everyone else."""
    chosen = request.query_params.get("f")
    if chosen is not None:
        value = chosen.strip().lower()
        if value in ("json", "geojson"):
            return "json"
        if value == "html":
            return "html"
        raise InvalidInput(f"f must be json or html, not {chosen!r}.", field="f")
    accept = request.headers.get("accept", "")
    # A browser asks for text/html first; tools ask for JSON or for anything (*/*).
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media == "text/html":
            return "html"
        if media in (
            "application/json",
            "application/geo+json",
            "application/vnd.oai.openapi+json",
        ):
            return "json"
    return "json"


def _instant(text: str, end: bool) -> datetime:
    if FULL_DATE.match(text):
        day = datetime.fromisoformat(text).date()
        return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
    if DATE_TIME.match(text):
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    raise ValueError(text)


def parse_datetime(value: str) -> Interval:
    """An RFC 3339 instant (`2026-03-05T10:00:00Z`, or a date) or interval (`start/end`, with
    `..` or nothing for an open end); ValueError with a reason."""
    example = "e.g. 2026-03-05T10:00:00Z, 2026-01-01/2026-03-31 or 2026-01-01T00:00:00Z/.."
    parts = value.split("/")
    if len(parts) > 2:
        raise ValueError(f"datetime has more than one '/': {value!r} ({example})")
    try:
        if len(parts) == 1:
            if parts[0] in ("", ".."):
                raise ValueError(parts[0])
            moment = _instant(parts[0], end=False)
            # A date alone stands for the whole day.
            last = _instant(parts[0], end=True) if FULL_DATE.match(parts[0]) else moment
            return Interval(moment, last)
        start_text, end_text = parts
        start = None if start_text in ("", "..") else _instant(start_text, end=False)
        end = None if end_text in ("", "..") else _instant(end_text, end=True)
    except ValueError as exc:
        raise ValueError(
            f"datetime must be an RFC 3339 date-time with its time zone, a date, or an "
            f"interval of them, not {value!r} ({example})"
        ) from exc
    if start is None and end is None:
        raise ValueError(f"datetime interval {value!r} is open at both ends ({example})")
    if start is not None and end is not None and start > end:
        raise ValueError(f"datetime interval {value!r} ends before it starts")
    return Interval(start, end)


def _integer(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError as exc:
        raise InvalidInput(f"{name} must be a whole number, not {raw!r}.", field=name) from exc
    if value < low:
        raise InvalidInput(f"{name} must be at least {low}.", field=name)
    return value if high is None else min(value, high)


async def item_query(request: Request) -> ItemQuery:
    """bbox, datetime, limit (1 to 10,000: a larger one is cut to 10,000) and offset."""
    bbox: BBox | None = None
    interval: Interval | None = None
    if (raw := request.query_params.get("bbox")) is not None:
        try:
            bbox = parse_ogc_bbox(raw)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="bbox") from exc
    if (raw := request.query_params.get("datetime")) is not None:
        try:
            interval = parse_datetime(raw.strip())
        except ValueError as exc:
            raise InvalidInput(str(exc), field="datetime") from exc
    limit = _integer(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _integer(request, "offset", 0, 0, None)
    if offset > MAX_OFFSET:
        raise InvalidInput(f"offset must be at most {MAX_OFFSET:,}.", field="offset")
    lang = request.query_params.get("filter-lang")
    if lang is not None and lang.strip() != FILTER_LANG:
        raise InvalidInput(
            f"filter-lang must be {FILTER_LANG} (the filter language served), not {lang!r}.",
            field="filter-lang",
        )
    text = request.query_params.get("filter")
    if text is not None and not text.strip():
        raise InvalidInput("filter is empty: give a CQL2 text expression.", field="filter")
    return ItemQuery(bbox, interval, limit, offset, text)


FormatDep = Annotated[str, Depends(output_format)]
ItemQueryDep = Annotated[ItemQuery, Depends(item_query)]
