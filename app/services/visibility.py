"""The one rule for who sees which reports (DESIGN.md §2.7 and §8).

Every public list, map layer, indicator and export starts from `visible_reports(viewer)`;
nothing else filters by status or by municipality for visibility.

Two things decide: the viewer's role (the public and planners see published reports only;
moderators and administrators every status) and the viewer's municipalities. A staff role
is held in municipalities (`StaffMembership`) and covers their descendants: a role in a
metropolitan municipality covers its districts. Platform administrators see every
municipality. An `area` (the municipalities a page or an API call asks about, resolved with
`covered_municipalities`) narrows any viewer further.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, func, select

from app.models import (
    AuditPoint,
    AuditWalk,
    Category,
    LocationPrecision,
    Municipality,
    Report,
    ReportStatus,
    Role,
    StaffMembership,
    User,
    WalkStatus,
)

STAFF_WHO_SEE_EVERYTHING = frozenset({Role.moderator, Role.admin})


def sees_unpublished(viewer: User | None) -> bool:
    """Whether the viewer may see reports that are not published."""
    return viewer is not None and viewer.active and viewer.role in STAFF_WHO_SEE_EVERYTHING


def sees_exact_location(viewer: User | None) -> bool:
    """Exact coordinates go to moderators and administrators only."""
    return sees_unpublished(viewer)


def sees_every_municipality(viewer: User | None) -> bool:
    """Platform administrators: no municipality bounds what they see."""
    return viewer is not None and viewer.active and viewer.role is Role.admin


def covered_municipalities(roots: Select) -> Select:
    """The ids of the municipalities in `roots` (a select of ids) and all their descendants."""
    base = select(Municipality.id.label("id")).where(Municipality.id.in_(roots))
    tree = base.cte("covered", recursive=True)
    children = select(Municipality.id).join(tree, Municipality.parent_id == tree.c.id)
    covered = tree.union(children)
    return select(covered.c.id)


def staff_municipalities(viewer: User) -> Select | None:
    """The municipalities `viewer`'s role covers (a select of ids); None: all of them.

    A staff account without a membership covers none.
    """
    if sees_every_municipality(viewer):
        return None
    roots = select(StaffMembership.municipality_id).where(StaffMembership.user_id == viewer.id)
    return covered_municipalities(roots)


def visible_reports(
    viewer: User | None, area: Select | tuple[int, ...] | None = None
) -> Select[Report]:
    """Reports `viewer` may see: the public (and planners) only published ones; staff only in
    the municipalities their role covers; and, with `area`, only in those municipalities."""
    stmt = select(Report)
    if not sees_unpublished(viewer):
        stmt = stmt.where(Report.status == ReportStatus.published)
    if viewer is not None:
        scope = staff_municipalities(viewer)
        if scope is not None:
            stmt = stmt.where(Report.municipality_id.in_(scope))
    if area is not None:
        stmt = stmt.where(Report.municipality_id.in_(area))
    return stmt


def public_point_reports(area: Select | tuple[int, ...] | None = None) -> Select[Report]:
    """Published reports that may appear as (displaced) points: non-sensitive categories only,
    and only those placed on the map (location_precision "point").

    Sensitive categories (harassment, following, assault) reach the public only as counts.
    """
    return (
        visible_reports(None, area)
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


def visible_audit_points(
    viewer: User | None, area: Select | tuple[int, ...] | None = None
) -> Select[AuditPoint]:
    """Audit points `viewer` may see, by the rule of `visible_reports`: the public (and
    planners) only those of published walks; staff only in their municipalities; `area`
    narrows further. The select joins AuditWalk, so callers may filter on the walk."""
    stmt = select(AuditPoint).join(AuditWalk, AuditWalk.id == AuditPoint.walk_id)
    if not sees_unpublished(viewer):
        stmt = stmt.where(AuditWalk.status == WalkStatus.published)
    if viewer is not None:
        scope = staff_municipalities(viewer)
        if scope is not None:
            stmt = stmt.where(AuditPoint.municipality_id.in_(scope))
    if area is not None:
        stmt = stmt.where(AuditPoint.municipality_id.in_(area))
    return stmt


def visible_audit_walks(viewer: User, area: Select | tuple[int, ...] | None = None) -> Select:
    """Walks a staff member may see and act on: those of the municipalities her role covers."""
    stmt = select(AuditWalk)
    scope = staff_municipalities(viewer)
    if scope is not None:
        stmt = stmt.where(AuditWalk.municipality_id.in_(scope))
    if area is not None:
        stmt = stmt.where(AuditWalk.municipality_id.in_(area))
    return stmt
