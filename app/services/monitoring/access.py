"""Who may see and do what in monitoring (MONITORING.md §3.3), decided here only.

* The public sees every plan past its draft, its public items, accepted updates whose
  publication date has come, final observations and published board assessments.
* Monitoring staff (planner, monitor, unit reporter, and platform administrators) whose role
  covers the plan's municipality also see drafts, every update and private evidence.
* Planners (the equality unit) and administrators manage plans, items, indicators, periods
  and review updates; unit reporters write updates and observations for their own unit's
  items only; board members (monitor role with a current board membership) write and publish
  assessments; the municipality (planner, unit reporter) answers published assessments.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound, NotPermitted
from app.models import (
    BoardMember,
    EqualityPlan,
    PlanIndicator,
    PlanItem,
    PlanState,
    Role,
    UnitReporter,
    User,
)
from app.services.reference import staff_scope

MONITORING_STAFF = frozenset({Role.planner, Role.admin, Role.monitor, Role.unit_reporter})
MANAGERS = frozenset({Role.planner, Role.admin})
MUNICIPALITY_SIDE = frozenset({Role.planner, Role.unit_reporter, Role.admin})


def covers(session: Session, user: User | None, municipality_id: int) -> bool:
    """Whether `user`'s role covers the municipality (administrators cover all)."""
    if user is None or not user.active:
        return False
    scope = staff_scope(session, user)
    return scope is None or municipality_id in scope


def is_inside(session: Session, viewer: User | None, municipality_id: int) -> bool:
    """Monitoring staff of this municipality (who see drafts, every update, private files)."""
    return (
        viewer is not None
        and viewer.role in MONITORING_STAFF
        and covers(session, viewer, municipality_id)
    )


def can_see_plan(session: Session, viewer: User | None, plan: EqualityPlan) -> bool:
    return plan.state is not PlanState.draft or is_inside(session, viewer, plan.municipality_id)


def plan_or_404(session: Session, code: str, viewer: User | None) -> EqualityPlan:
    """The plan with this code, if the viewer may see it (else 404, as if it did not exist)."""
    plan = session.scalar(select(EqualityPlan).where(EqualityPlan.code == code))
    if plan is None or not can_see_plan(session, viewer, plan):
        raise NotFound(f"No equality plan {code!r}. The list is at GET /api/v1/plans.")
    return plan


def require_manager(session: Session, user: User, municipality_id: int) -> None:
    """Planners (the equality unit) of the municipality and administrators."""
    if user.role not in MANAGERS:
        raise NotPermitted("Only the equality unit (planner) or an administrator may do this.")
    if not covers(session, user, municipality_id):
        raise NotPermitted("Your role does not cover this plan's municipality.")


def reporter_units(session: Session, user: User) -> set[int]:
    """The municipal units a unit reporter reports for."""
    return set(session.scalars(select(UnitReporter.unit_id).where(UnitReporter.user_id == user.id)))


def require_item_reporter(session: Session, user: User, item: PlanItem) -> None:
    """Managers for any item of their municipality; a unit reporter for her unit's items."""
    if user.role is Role.unit_reporter:
        if not covers(session, user, item.municipality_id):
            raise NotPermitted("Your role does not cover this plan's municipality.")
        if item.responsible_unit_id is None or item.responsible_unit_id not in reporter_units(
            session, user
        ):
            raise NotPermitted(
                f"Item {item.code} is another unit's: a unit reporter reports only on the "
                "items her own unit is responsible for.",
                field="item",
            )
        return
    require_manager(session, user, item.municipality_id)


def require_indicator_reporter(
    session: Session, user: User, indicator: PlanIndicator, item: PlanItem
) -> None:
    """Managers; a unit reporter for indicators her unit owns or whose item it runs."""
    if user.role is Role.unit_reporter:
        units = reporter_units(session, user)
        if not covers(session, user, indicator.municipality_id) or not (
            {indicator.data_owner_unit_id, item.responsible_unit_id} & units
        ):
            raise NotPermitted(
                f"Indicator {indicator.code} is another unit's: a unit reporter enters values "
                "only for her own unit's indicators.",
                field="indicator",
            )
        return
    require_manager(session, user, indicator.municipality_id)


def board_membership(
    session: Session, user: User, plan: EqualityPlan, today: date | None = None
) -> BoardMember | None:
    """The user's current seat on the plan's Monitoring Board (per plan or municipality)."""
    if user.role is not Role.monitor or not covers(session, user, plan.municipality_id):
        return None
    today = today or date.today()
    return session.scalar(
        select(BoardMember)
        .where(
            BoardMember.user_id == user.id,
            BoardMember.municipality_id == plan.municipality_id,
            or_(BoardMember.plan_id.is_(None), BoardMember.plan_id == plan.id),
            BoardMember.term_start <= today,
            BoardMember.term_end >= today,
        )
        .limit(1)
    )


def require_board(session: Session, user: User, plan: EqualityPlan) -> BoardMember:
    """A sitting member of the plan's Monitoring Board, and no one else (not administrators:
    the board is independent of the platform and of the municipality)."""
    member = board_membership(session, user, plan)
    if member is None:
        raise NotPermitted(
            "Only a sitting member of this plan's Monitoring Board (İzleme Heyeti) may write "
            "or publish its assessments."
        )
    return member


def require_municipality_side(session: Session, user: User, plan: EqualityPlan) -> None:
    """The municipality's own staff (equality unit, unit reporters) answer the board."""
    if user.role not in MUNICIPALITY_SIDE or not covers(session, user, plan.municipality_id):
        raise NotPermitted("Only the municipality's staff may answer the board's assessment.")
