"""Monitoring work: periods, observations, progress updates and evidence, the board.

Every route needs a logged-in account; the services decide which roles may act.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile, status
from fastapi.responses import Response

from app.api.deps import CurrentUser, OptionalUser, PublicReadSession, SessionDep, SettingsDep
from app.models import EvidenceKind
from app.schemas.common import PUBLIC_ERRORS, STAFF_ERRORS, file_answer
from app.schemas.monitoring import (
    AssessmentCreate,
    AssessmentFields,
    BoardMemberCreate,
    EvidenceLink,
    ObservationCreate,
    PeriodCreate,
    PeriodStateChange,
    ResponseWrite,
    ReviewDecision,
    UpdateCreate,
)
from app.schemas.monitoring_views import (
    AssessmentRef,
    BoardMemberRef,
    EvidenceFileRef,
    EvidenceLinkRef,
    MonitoringReportList,
    ObservationEntered,
    PeriodRef,
    UpdateRef,
)
from app.services.monitoring import access, board, indicators, periods, plans, reports, updates

router = APIRouter(prefix="/api/v1", tags=["monitoring"])
Code = Annotated[str, Path(max_length=64)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _period(p) -> dict:
    return {"label": p.label, "kind": p.kind.value, "state": p.state.value}


def _update(u) -> dict:
    return {"id": u.id, "review_state": u.review_state.value, "status": u.status.value}


def _assessment(a) -> dict:
    return {
        "id": a.id,
        "rating": a.rating.value,
        "published_at": a.published_at.isoformat() if a.published_at else None,
        "municipal_response": a.municipal_response,
    }


@router.post(
    "/plans/{code}/periods",
    status_code=status.HTTP_201_CREATED,
    response_model=PeriodRef,
    responses=STAFF_ERRORS,
)
def create_period(code: Code, body: PeriodCreate, db: SessionDep, user: CurrentUser) -> dict:
    plan = access.plan_or_404(db, code, user)
    return _period(periods.create_period(db, user, plan, body))


@router.post(
    "/plans/{code}/periods/{label}/state", response_model=PeriodRef, responses=STAFF_ERRORS
)
def change_period_state(
    code: Code,
    label: Code,
    body: PeriodStateChange,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> dict:
    """Move a period on; to `under_review` freezes its computed observations; publishing it
    publishes its report (HTML and PDF)."""
    plan = access.plan_or_404(db, code, user)
    period = periods.period_by_label(db, plan, label)
    reports.move_period(db, settings, user, plan, period, body.state)
    return _period(period)


@router.post(
    "/plans/{code}/indicators/{indicator}/observations",
    status_code=status.HTTP_201_CREATED,
    response_model=ObservationEntered,
    responses=STAFF_ERRORS,
)
def enter_observation(
    code: Code, indicator: Code, body: ObservationCreate, db: SessionDep, user: CurrentUser
) -> dict:
    plan = access.plan_or_404(db, code, user)
    found = indicators.indicator_by_code(db, plan, indicator)
    obs = periods.enter_observation(db, user, plan, found, body)
    return {"indicator": found.code, "period": body.period, "value": obs.value}


@router.post(
    "/plans/{code}/items/{item}/updates",
    status_code=status.HTTP_201_CREATED,
    response_model=UpdateRef,
    responses=STAFF_ERRORS,
)
def create_update(
    code: Code, item: Code, body: UpdateCreate, db: SessionDep, user: CurrentUser
) -> dict:
    """A progress update (draft) on an item: by its unit's reporter or the equality unit."""
    plan = access.plan_or_404(db, code, user)
    return _update(updates.create_update(db, user, plan, plans.item_by_code(db, plan, item), body))


@router.post("/updates/{update_id}/submit", response_model=UpdateRef, responses=STAFF_ERRORS)
def submit_update(update_id: Id, db: SessionDep, user: CurrentUser) -> dict:
    update = updates.update_or_404(db, update_id, user)
    updates.submit_update(db, user, update)
    return _update(update)


@router.post("/updates/{update_id}/accept", response_model=UpdateRef, responses=STAFF_ERRORS)
def accept_update(update_id: Id, body: ReviewDecision, db: SessionDep, user: CurrentUser) -> dict:
    update = updates.update_or_404(db, update_id, user)
    updates.review_update(db, user, update, True, body.note)
    return _update(update)


@router.post("/updates/{update_id}/return", response_model=UpdateRef, responses=STAFF_ERRORS)
def return_update(update_id: Id, body: ReviewDecision, db: SessionDep, user: CurrentUser) -> dict:
    update = updates.update_or_404(db, update_id, user)
    updates.review_update(db, user, update, False, body.note)
    return _update(update)


@router.post(
    "/updates/{update_id}/evidence",
    status_code=status.HTTP_201_CREATED,
    response_model=EvidenceFileRef,
    responses=STAFF_ERRORS,
)
def add_evidence(
    update_id: Id,
    db: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    kind: Annotated[EvidenceKind, Form()],
    title: Annotated[str, Form(min_length=1, max_length=300)],
    file: Annotated[UploadFile, File()],
    is_private: Annotated[bool, Form()] = False,
) -> dict:
    """An evidence file (multipart): photos re-encoded without metadata, documents PDF."""
    update = updates.update_or_404(db, update_id, user)
    data = file.file.read(updates.MAX_EVIDENCE_BYTES + 1)
    evidence = updates.add_evidence_file(
        db, settings, user, update, kind=kind, title=title, data=data, is_private=is_private
    )
    return {"id": evidence.id, "kind": evidence.kind.value, "sha256": evidence.sha256}


@router.post(
    "/updates/{update_id}/links",
    status_code=status.HTTP_201_CREATED,
    response_model=EvidenceLinkRef,
    responses=STAFF_ERRORS,
)
def add_link(update_id: Id, body: EvidenceLink, db: SessionDep, user: CurrentUser) -> dict:
    update = updates.update_or_404(db, update_id, user)
    evidence = updates.add_evidence_link(db, user, update, body)
    return {"id": evidence.id, "kind": evidence.kind.value, "url": evidence.url}


@router.get(
    "/evidence/{evidence_id}",
    response_class=Response,
    responses={**PUBLIC_ERRORS, **file_answer("The evidence file.", *updates.EVIDENCE_MEDIA_TYPES)},
)
def get_evidence(evidence_id: Id, db: PublicReadSession, viewer: OptionalUser) -> Response:
    """An evidence file: public once its update is; private ones to the municipality only."""
    evidence = updates.evidence_file(db, evidence_id, viewer)
    return Response(
        evidence.content,
        media_type=evidence.media_type,
        headers={"X-Content-Type-Options": "nosniff", "Content-Disposition": "attachment"},
    )


@router.post(
    "/monitoring/board",
    status_code=status.HTTP_201_CREATED,
    response_model=BoardMemberRef,
    responses=STAFF_ERRORS,
)
def add_board_member(body: BoardMemberCreate, db: SessionDep, user: CurrentUser) -> dict:
    """Seat a monitor on a municipality's (or a plan's) board: platform administrators."""
    member = board.add_board_member(db, user, body)
    return {"id": member.id, "organisation": member.organisation}


@router.post(
    "/plans/{code}/assessments",
    status_code=status.HTTP_201_CREATED,
    response_model=AssessmentRef,
    responses=STAFF_ERRORS,
)
def create_assessment(
    code: Code, body: AssessmentCreate, db: SessionDep, user: CurrentUser
) -> dict:
    """A board assessment (draft) of an item or an indicator for a period: board members."""
    plan = access.plan_or_404(db, code, user)
    return _assessment(board.create_assessment(db, user, plan, body))


@router.get("/assessments/{assessment_id}", response_model=AssessmentRef, responses=PUBLIC_ERRORS)
def get_assessment(assessment_id: Id, db: PublicReadSession, viewer: OptionalUser) -> dict:
    return _assessment(board.assessment_or_404(db, assessment_id, viewer))


@router.patch("/assessments/{assessment_id}", response_model=AssessmentRef, responses=STAFF_ERRORS)
def update_assessment(
    assessment_id: Id, body: AssessmentFields, db: SessionDep, user: CurrentUser
) -> dict:
    """Edit a draft assessment (board members; never once published)."""
    assessment = board.assessment_or_404(db, assessment_id, user)
    board.update_assessment(db, user, assessment, body)
    return _assessment(assessment)


@router.delete(
    "/assessments/{assessment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=STAFF_ERRORS,
)
def delete_assessment(assessment_id: Id, db: SessionDep, user: CurrentUser) -> None:
    """Withdraw a draft assessment (board members; never once published)."""
    board.delete_assessment(db, user, board.assessment_or_404(db, assessment_id, user))


@router.post(
    "/assessments/{assessment_id}/publish", response_model=AssessmentRef, responses=STAFF_ERRORS
)
def publish_assessment(assessment_id: Id, db: SessionDep, user: CurrentUser) -> dict:
    assessment = board.assessment_or_404(db, assessment_id, user)
    board.publish_assessment(db, user, assessment)
    return _assessment(assessment)


@router.post(
    "/assessments/{assessment_id}/response", response_model=AssessmentRef, responses=STAFF_ERRORS
)
def respond(assessment_id: Id, body: ResponseWrite, db: SessionDep, user: CurrentUser) -> dict:
    """The municipality's response to a published assessment."""
    assessment = board.assessment_or_404(db, assessment_id, user)
    board.respond(db, user, assessment, body.municipal_response)
    return _assessment(assessment)


@router.get("/plans/{code}/reports", response_model=MonitoringReportList, responses=PUBLIC_ERRORS)
def list_reports(code: Code, db: PublicReadSession, viewer: OptionalUser) -> dict:
    """The plan's published monitoring reports, with `html_url` and `pdf_url`."""
    return {"reports": reports.reports_of(db, access.plan_or_404(db, code, viewer))}


@router.get(
    "/monitoring-reports/{report_id}.html",
    response_class=Response,
    responses={**PUBLIC_ERRORS, **file_answer("The report as HTML.", "text/html")},
)
def report_html(report_id: Id, db: PublicReadSession, viewer: OptionalUser) -> Response:
    """A published report as an accessible HTML page (frozen when its period was published)."""
    report = reports.report_or_404(db, report_id, viewer)
    return Response(report.html, media_type="text/html; charset=utf-8")


@router.get(
    "/monitoring-reports/{report_id}.pdf",
    response_class=Response,
    responses={**PUBLIC_ERRORS, **file_answer("The report as PDF.", "application/pdf")},
)
def report_pdf(report_id: Id, db: PublicReadSession, viewer: OptionalUser) -> Response:
    """The same report as PDF."""
    report = reports.report_or_404(db, report_id, viewer)
    return Response(
        report.pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{report.id}.pdf"'},
    )
