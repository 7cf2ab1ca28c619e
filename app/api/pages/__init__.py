"""Server-rendered pages: the citizen map and tracking page, staff pages, the dashboard."""

from fastapi import APIRouter, FastAPI

from app.api.pages import api_docs, citizen, planner, plans, staff
from app.api.pages.templating import render

__all__ = ["install", "render", "router"]

router = APIRouter(include_in_schema=False)
router.include_router(citizen.router)
router.include_router(api_docs.router)
router.include_router(planner.router)
router.include_router(plans.router)
router.include_router(staff.router)


def install(app: FastAPI) -> None:
    """The pages' routes and their answers to visitors without the right login, or about a
    municipality that is not served here."""
    app.include_router(router)
    citizen.install(app)
    staff.install(app)
