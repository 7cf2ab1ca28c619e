"""The Monitoring Board (İzleme Heyeti): its members and its assessments.

Independence: only a sitting board member writes, edits, publishes or deletes an
assessment, and only before it is published. Once published it is the board's record: the
municipality (planner, unit reporter) may write its response, and nobody — not the
municipality, not a platform administrator, not the board itself — can change or delete it
(the service refuses, and a database trigger refuses any other path).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound, NotPermitted
from app.models import (
    BoardAssessment,
    BoardMember,
    EqualityPlan,
    Role,
    User,
)
from app.schemas.monitoring import (
    AssessmentCreate,
    AssessmentFields,
    BoardMemberCreate,
)
from app.services import audit
from app.services.monitoring import access
from app.services.monitoring.changes import plain
from app.services.monitoring.indicators import indicator_by_code
from app.services.monitoring.periods import period_by_label
from app.services.monitoring.plans import item_by_code
from app.services.reference import municipality_by_code

ASSESSMENT_FIELDS = ("rating", "rights_based_note", "recommendation", "response_due", "dissent")


def _user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise InvalidInput(f"No account {email!r}.", field="email")
    return user


def add_board_member(session: Session, admin: User, data: BoardMemberCreate) -> BoardMember:
    """Seat a monitor on a board (platform administrators appoint; audited)."""
    if admin.role is not Role.admin:
        raise NotPermitted("Board members are appointed by a platform administrator.")
    municipality = municipality_by_code(session, data.municipality, field="municipality")
    user = _user_by_email(session, data.email)
    if user.role is not Role.monitor:
        raise InvalidInput("A board member's account has the role monitor.", field="email")
    if data.term_end < data.term_start:
        raise InvalidInput("term_end must not be before term_start.", field="term_end")
    plan_id = None
    if data.plan is not None:
        plan = session.scalar(select(EqualityPlan).where(EqualityPlan.code == data.plan))
        if plan is None or plan.municipality_id != municipality.id:
            raise InvalidInput(f"No plan {data.plan!r} of this municipality.", field="plan")
        plan_id = plan.id
    member = BoardMember(
        municipality_id=municipality.id,
        user_id=user.id,
        plan_id=plan_id,
        organisation=data.organisation,
        role_in_board=data.role_in_board,
        term_start=data.term_start,
        term_end=data.term_end,
        conflict_of_interest_note=data.conflict_of_interest_note,
    )
    session.add(member)
    session.flush()
    audit.record(
        session,
        "monitoring.board.member",
        actor=admin,
        target_user_id=user.id,
        municipality_id=municipality.id,
        after={k: plain(v) for k, v in data.model_dump().items()},
    )
    return member


def board_of(session: Session, plan: EqualityPlan) -> list[dict]:
    """The plan's board as the public sees it: organisation, role, term, declared interests."""
    rows = session.scalars(
        select(BoardMember)
        .where(
            BoardMember.municipality_id == plan.municipality_id,
            (BoardMember.plan_id.is_(None)) | (BoardMember.plan_id == plan.id),
        )
        .order_by(BoardMember.organisation)
    )
    return [
        {
            "organisation": m.organisation,
            "role_in_board": m.role_in_board,
            "term_start": m.term_start.isoformat(),
            "term_end": m.term_end.isoformat(),
            "conflict_of_interest_note": m.conflict_of_interest_note,
        }
        for m in rows
    ]


def assessment_or_404(session: Session, assessment_id: int, viewer: User | None) -> BoardAssessment:
    """An assessment: published ones to anyone, drafts to the municipality's staff only."""
    found = session.get(BoardAssessment, assessment_id)
    if found is None or (
        found.published_at is None and not access.is_inside(session, viewer, found.municipality_id)
    ):
        raise NotFound(f"No board assessment {assessment_id}.")
    return found


def _values(a: BoardAssessment) -> dict:
    names = (*ASSESSMENT_FIELDS, "published_at", "municipal_response")
    return {n: plain(getattr(a, n)) for n in names}


def create_assessment(
    session: Session, user: User, plan: EqualityPlan, data: AssessmentCreate
) -> BoardAssessment:
    access.require_board(session, user, plan)
    if (data.item is None) == (data.indicator is None):
        raise InvalidInput("Assess either an item or an indicator (one of them).", field="item")
    period = period_by_label(session, plan, data.period, field="period")
    item = item_by_code(session, plan, data.item, field="item_code") if data.item else None
    indicator = (
        indicator_by_code(session, plan, data.indicator, field="indicator_code")
        if data.indicator
        else None
    )
    assessment = BoardAssessment(
        municipality_id=plan.municipality_id,
        plan_id=plan.id,
        reporting_period_id=period.id,
        plan_item_id=item.id if item else None,
        indicator_id=indicator.id if indicator else None,
        author_id=user.id,
        **data.model_dump(exclude={"period", "item", "indicator"}, exclude_none=True),
    )
    session.add(assessment)
    session.flush()
    audit.record(
        session,
        "monitoring.assessment.create",
        actor=user,
        municipality_id=plan.municipality_id,
        note=f"{plan.code} {period.label}",
        after=_values(assessment),
    )
    return assessment


def _board_edit(session: Session, user: User, assessment: BoardAssessment) -> EqualityPlan:
    plan = session.get_one(EqualityPlan, assessment.plan_id)
    access.require_board(session, user, plan)
    if assessment.published_at is not None:
        raise Conflict(
            "This assessment is published: it is the board's record and cannot be changed "
            "or withdrawn (the municipality may answer it).",
            field="published_at",
        )
    return plan


def update_assessment(
    session: Session, user: User, assessment: BoardAssessment, data: AssessmentFields
) -> None:
    _board_edit(session, user, assessment)
    before = _values(assessment)
    for name, value in data.model_dump(exclude_unset=True).items():
        if name == "rating" and value is None:
            raise InvalidInput("rating cannot be empty.", field="rating")
        setattr(assessment, name, "" if name == "rights_based_note" and value is None else value)
    session.flush()
    audit.record(
        session,
        "monitoring.assessment.update",
        actor=user,
        municipality_id=assessment.municipality_id,
        note=str(assessment.id),
        before=before,
        after=_values(assessment),
    )


def delete_assessment(session: Session, user: User, assessment: BoardAssessment) -> None:
    """The board withdraws a draft (never a published assessment)."""
    _board_edit(session, user, assessment)
    before = _values(assessment)
    session.delete(assessment)
    session.flush()
    audit.record(
        session,
        "monitoring.assessment.delete",
        actor=user,
        municipality_id=assessment.municipality_id,
        note=str(assessment.id),
        before=before,
    )


def publish_assessment(session: Session, user: User, assessment: BoardAssessment) -> None:
    _board_edit(session, user, assessment)
    before = _values(assessment)
    assessment.published_at = datetime.now(UTC)
    session.flush()
    audit.record(
        session,
        "monitoring.assessment.publish",
        actor=user,
        municipality_id=assessment.municipality_id,
        note=str(assessment.id),
        before=before,
        after=_values(assessment),
    )


def respond(session: Session, user: User, assessment: BoardAssessment, text: str) -> None:
    """The municipality's answer to a published assessment (it may be revised, audited)."""
    plan = session.get_one(EqualityPlan, assessment.plan_id)
    access.require_municipality_side(session, user, plan)
    if assessment.published_at is None:
        raise Conflict("The board has not published this assessment yet.", field="published_at")
    before = {"municipal_response": assessment.municipal_response}
    assessment.municipal_response = text
    assessment.response_by = user.id
    assessment.responded_at = datetime.now(UTC)
    session.flush()
    audit.record(
        session,
        "monitoring.assessment.response",
        actor=user,
        municipality_id=assessment.municipality_id,
        note=str(assessment.id),
        before=before,
        after={"municipal_response": text},
    )


def assessments_of(session: Session, plan_id: int, include_drafts: bool) -> list[BoardAssessment]:
    stmt = select(BoardAssessment).where(BoardAssessment.plan_id == plan_id)
    if not include_drafts:
        stmt = stmt.where(BoardAssessment.published_at.is_not(None))
    return list(session.scalars(stmt.order_by(BoardAssessment.id)))
