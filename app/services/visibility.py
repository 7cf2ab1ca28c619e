"""The one rule for who sees which reports (DESIGN.md §2.7).

Every public list, map layer, indicator and export starts from `visible_reports(viewer)`;
nothing else filters by status for visibility.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, func, select

from app.models import Category, LocationPrecision, Report, ReportStatus, Role, User

STAFF_WHO_SEE_EVERYTHING = frozenset({Role.moderator, Role.admin})


def sees_unpublished(viewer: User | None) -> bool:
    """Whether the viewer may see reports that are not published."""
    return viewer is not None and viewer.active and viewer.role in STAFF_WHO_SEE_EVERYTHING


def sees_exact_location(viewer: User | None) -> bool:
    """Exact coordinates go to moderators and administrators only."""
    return sees_unpublished(viewer)


def visible_reports(viewer: User | None) -> Select[Report]:
    """Reports `viewer` may see: the public (and planners) only published ones."""
    stmt = select(Report)
    if not sees_unpublished(viewer):
        stmt = stmt.where(Report.status == ReportStatus.published)
    return stmt


def public_point_reports() -> Select[Report]:
    """Published reports that may appear as (displaced) points: non-sensitive categories only,
    and only those placed on the map (location_precision "point").

    Sensitive categories (harassment, following, assault) reach the public only as counts.
    """
    return (
        visible_reports(None)
        .join(Category, Category.id == Report.category_id)
        .where(may_be_public_point())
    )


def has_map_point() -> ColumnElement[bool]:
    """Placed on the map: reports made without it have only a mahalle; they count in its
    indicators but are never drawn or binned as a point."""
    return Report.location_precision == LocationPrecision.point


def may_be_public_point() -> ColumnElement[bool]:
    """The condition of `public_point_reports`, for queries that join Category themselves."""
    return and_(Category.sensitive.is_(False), has_map_point())


def sees_photo(viewer: User | None, status: ReportStatus, sensitive: bool) -> bool:
    """Photos are public once their report is published, unless its category is sensitive."""
    return sees_unpublished(viewer) or (status is ReportStatus.published and not sensitive)


def reports_of_code_holder(tracking_code_hash: str) -> Select[Report]:
    """The one report whose tracking code the viewer holds, in any status (her own view)."""
    return select(Report).where(Report.tracking_code_hash == tracking_code_hash)


def public_text_expr() -> ColumnElement[str]:
    """The text the public may read: the moderator's redacted version when there is one.

    The original (`Report.text`) stays for moderators and administrators only.
    """
    return func.coalesce(Report.redacted_text, Report.text)


def public_text(report: Report) -> str:
    """`public_text_expr` for a loaded report."""
    return report.redacted_text if report.redacted_text is not None else report.text
