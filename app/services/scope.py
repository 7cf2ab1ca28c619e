"""Which reports a question is about: the period, its filters and the area in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select

from app.models import (
    Category,
    CategoryGroup,
    Mahalle,
    Report,
    TimeBand,
)
from app.services.visibility import visible_reports


@dataclass(frozen=True)
class PlannerFilters:
    """A period (inclusive, on the date of occurrence) and optional filters."""

    since: date
    until: date
    groups: tuple[CategoryGroup, ...] = ()
    time_bands: tuple[TimeBand, ...] = ()
    districts: tuple[str, ...] = ()
    # The municipalities in scope (ids, descendants included); None: the whole deployment.
    municipalities: tuple[int, ...] | None = None
    municipality: str | None = None  # the code asked for, for the metadata

    @property
    def previous(self) -> tuple[date, date]:
        """The period of equal length just before: as many whole months, or as many days."""
        if self.since.day == 1 and (self.until + timedelta(days=1)).day == 1:
            months = (self.until.year - self.since.year) * 12 + self.until.month - self.since.month
            start = self.since.year * 12 + self.since.month - 1 - (months + 1)
            return date(start // 12, start % 12 + 1, 1), self.since - timedelta(days=1)
        length = (self.until - self.since).days + 1
        return self.since - timedelta(days=length), self.since - timedelta(days=1)

    def as_metadata(self) -> dict:
        prev_since, prev_until = self.previous
        return {
            "period": {"since": self.since.isoformat(), "until": self.until.isoformat()},
            "previous_period": {"since": prev_since.isoformat(), "until": prev_until.isoformat()},
            "groups": [g.value for g in self.groups],
            "time_bands": [b.value for b in self.time_bands],
            "districts": list(self.districts),
            "municipality": self.municipality,
        }


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve whole months, the current one included."""
    today = today or date.today()
    start = today.year * 12 + today.month - 1 - 11
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return date(start // 12, start % 12 + 1, 1), following - timedelta(days=1)


def filtered_reports(
    filters: PlannerFilters, since: date, until: date, *, with_category: bool = True
) -> Select:
    """Published reports (the one visibility rule) in [since, until] matching the filters.

    With `with_category`, joined to their category (for callers that read its columns);
    without, the category group filter is a semi-join, so a scan that reads report columns
    only joins nothing per report.
    """
    stmt = visible_reports(None, filters.municipalities).where(
        Report.occurred_on.between(since, until)
    )
    if with_category:
        stmt = stmt.join(Category, Category.id == Report.category_id)
    if filters.groups:
        if with_category:
            stmt = stmt.where(Category.group.in_(filters.groups))
        else:
            of_groups = select(Category.id).where(Category.group.in_(filters.groups))
            stmt = stmt.where(Report.category_id.in_(of_groups))
    if filters.time_bands:
        stmt = stmt.where(Report.time_band.in_(filters.time_bands))
    return stmt


def mahalle_scope(stmt: Select, filters: PlannerFilters) -> Select:
    """The mahalle rows in scope: of the municipalities, and of the districts asked for."""
    if filters.municipalities is not None:
        stmt = stmt.where(Mahalle.municipality_id.in_(filters.municipalities))
    return stmt.where(Mahalle.district.in_(filters.districts)) if filters.districts else stmt
