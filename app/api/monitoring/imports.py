"""Import an existing plan from a spreadsheet over HTTP (the equality unit): all or nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status

from app.api.deps import CurrentUser, SessionDep
from app.schemas.common import STAFF_ERRORS
from app.schemas.plan_import import PlanImported
from app.services.monitoring import PlanHeader, import_uploaded_plan
from app.services.monitoring.spreadsheet import MAX_UPLOAD_BYTES

router = APIRouter(prefix="/api/v1", tags=["monitoring"])


@router.post(
    "/plans/import",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanImported,
    responses=STAFF_ERRORS,
)
def import_plan(
    db: SessionDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="XLSX or CSV, one row per item (template).")],
    municipality: Annotated[str, Form(min_length=1, max_length=64)],
    code: Annotated[
        str, Form(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    ],
    title_tr: Annotated[str, Form(min_length=1, max_length=500)],
    period_start: Annotated[date, Form()],
    period_end: Annotated[date, Form()],
    title_en: Annotated[str | None, Form(max_length=500)] = None,
) -> dict:
    """Create a draft plan with every item and indicator of the file. A file with any
    problem imports nothing and the answer lists every problem with its row number."""
    header = PlanHeader(code, title_tr, period_start, period_end, title_en=title_en)
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    plan, items, indicators = import_uploaded_plan(
        db, user, file.filename or "", data, municipality, header
    )
    return {
        "plan": plan.code,
        "state": plan.state.value,
        "items": items,
        "indicators": indicators,
        "url": f"/api/v1/plans/{plan.code}",
    }
