"""Atom feeds of newly published reports, per municipality and per mahalle.

Public data only, from the one visibility rule (`public_point_reports`): the category's label,
the mahalle, the month it happened and the displaced point (GeoRSS). An entry's date is the
day it was published (midnight), never the time a report was made. Built with feedgen.
"""

from __future__ import annotations

from datetime import datetime, time

from feedgen.feed import FeedGenerator
from sqlalchemy import func
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.models import Category, Mahalle, Municipality, Report
from app.services.clock import LOCAL_TZ
from app.services.reference import area_for_code, mahalle_by_code, municipality_by_code
from app.services.visibility import public_point_reports

FEED_SIZE = 50


def _entries(session: Session, stmt) -> list[dict]:
    day = func.date_trunc("day", func.timezone("Europe/Istanbul", Report.published_at))
    rows = session.execute(
        stmt.outerjoin(Mahalle, Mahalle.id == Report.mahalle_id)
        .join(Municipality, Municipality.id == Report.municipality_id)
        .with_only_columns(
            Report.public_id,
            Category.code,
            Category.labels,
            Report.occurred_on,
            day.label("published_day"),
            func.ST_X(Report.public_location).label("lon"),
            func.ST_Y(Report.public_location).label("lat"),
            Mahalle.name.label("mahalle"),
            Municipality.code.label("municipality"),
        )
        .order_by(Report.published_at.desc(), Report.public_id.desc())
        .limit(FEED_SIZE)
    ).mappings()
    return [dict(r) for r in rows]


def _feed(base_url: str, feed_id: str, title: str, self_url: str, entries: list[dict]) -> bytes:
    fg = FeedGenerator()
    fg.load_extension("geo")
    fg.id(f"{base_url}{self_url}")
    fg.title(title)
    fg.author({"name": "Mor Harita"})
    fg.link(href=f"{base_url}{self_url}", rel="self", type="application/atom+xml")
    fg.link(href=f"{base_url}/m/{feed_id}", rel="alternate", type="text/html")
    fg.language("tr")
    newest = datetime.combine(datetime.now(LOCAL_TZ).date(), time(), LOCAL_TZ)
    fg.updated(entries[0]["published_day"].replace(tzinfo=LOCAL_TZ) if entries else newest)
    for row in reversed(entries):  # feedgen prepends: oldest first gives newest on top
        tr = row["labels"].get("tr") or row["code"]
        en = row["labels"].get("en") or tr
        month = row["occurred_on"].strftime("%Y-%m")
        place = row["mahalle"] or row["municipality"]
        entry = fg.add_entry()
        entry.id(f"urn:morharita:report:{row['public_id']}")
        entry.title(f"{tr} — {place} ({month})")
        entry.summary(f"{tr} / {en}; {place}; {month}")
        entry.link(href=f"{base_url}/m/{row['municipality']}", rel="alternate", type="text/html")
        entry.category(term=row["code"], label=tr)
        entry.updated(row["published_day"].replace(tzinfo=LOCAL_TZ))
        entry.geo.point(f"{row['lat']:.6f} {row['lon']:.6f}")
    return fg.atom_str(pretty=True)


def municipality_feed(session: Session, base_url: str, code: str) -> bytes:
    """Newly published reports in a municipality's area (its districts included)."""
    municipality = municipality_by_code(session, code)
    area = area_for_code(session, code)
    entries = _entries(session, public_point_reports(area))
    title = f"Mor Harita — {municipality.name}: yeni bildirimler / new reports"
    return _feed(base_url, code, title, f"/feeds/{code}.atom", entries)


def mahalle_feed(session: Session, base_url: str, code: str, mahalle_code: str) -> bytes:
    """Newly published reports in one mahalle of a municipality's area."""
    municipality = municipality_by_code(session, code)
    area = area_for_code(session, code)
    try:
        mahalle = mahalle_by_code(session, mahalle_code)
    except InvalidInput:
        mahalle = None
    if mahalle is None or area is None or mahalle.municipality_id not in area:
        raise NotFound(f"No mahalle '{mahalle_code}' in the area of '{code}'.")
    stmt = public_point_reports(area).where(Report.mahalle_id == mahalle.id)
    title = f"Mor Harita — {mahalle.name} ({municipality.name}): yeni bildirimler / new reports"
    return _feed(
        base_url, code, title, f"/feeds/{code}/{mahalle_code}.atom", _entries(session, stmt)
    )
