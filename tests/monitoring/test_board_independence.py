"""The board's independence: once the board publishes an assessment, the municipality may
answer it but nobody can edit, hide or delete it: every API route for every role, every
service call, and the database itself refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.errors import Conflict, NotPermitted
from app.models import BoardAssessment, Role
from app.schemas.monitoring import AssessmentCreate, AssessmentFields
from app.services.monitoring import board
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import login, make_user

ORIGINAL = {
    "rating": "partly_compliant",
    "rights_based_note": "CEMR md. 21",
    "recommendation": "Hızlanın",
}


def _published(db, settings):
    world = build_plan(db, settings)
    assessment = board.create_assessment(
        db,
        world.monitor,
        world.plan,
        AssessmentCreate(period=str(YEAR), item="1.1.T", **ORIGINAL),
    )
    board.publish_assessment(db, world.monitor, assessment)
    db.flush()
    return world, assessment


def _unchanged(db, assessment_id: int) -> None:
    db.expire_all()
    row = db.get(BoardAssessment, assessment_id)
    assert row is not None
    assert row.rating.value == ORIGINAL["rating"]
    assert row.rights_based_note == ORIGINAL["rights_based_note"]
    assert row.recommendation == ORIGINAL["recommendation"]
    assert row.published_at is not None


def test_services_refuse_every_change_after_publication(db, settings):
    world, assessment = _published(db, settings)
    for user in (world.planner, world.admin, world.reporter, world.monitor):
        with pytest.raises((NotPermitted, Conflict)):
            board.update_assessment(db, user, assessment, AssessmentFields(rating="compliant"))
        with pytest.raises((NotPermitted, Conflict)):
            board.delete_assessment(db, user, assessment)
        with pytest.raises((NotPermitted, Conflict)):
            board.publish_assessment(db, user, assessment)
    _unchanged(db, assessment.id)
    board.respond(db, world.planner, assessment, "Bütçe ayrıldı.")
    board.respond(db, world.reporter, assessment, "Bütçe ayrıldı; ihale 2. çeyrekte.")
    with pytest.raises(NotPermitted):
        board.respond(db, world.monitor, assessment, "The board does not answer itself.")
    _unchanged(db, assessment.id)


def test_the_database_refuses_edits_and_deletion(db, settings):
    _, assessment = _published(db, settings)
    for statement in (
        "UPDATE board_assessment SET rating = 'compliant' WHERE id = :id",
        "UPDATE board_assessment SET published_at = NULL WHERE id = :id",
        "DELETE FROM board_assessment WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="published board assessment"), db.begin_nested():
            db.execute(text(statement), {"id": assessment.id})
    db.execute(
        text("UPDATE board_assessment SET municipal_response = 'ok' WHERE id = :id"),
        {"id": assessment.id},
    )
    _unchanged(db, assessment.id)


@pytest.mark.parametrize("role", ["planner", "admin", "unit_reporter", "monitor", "moderator"])
def test_api_routes_refuse_every_change_after_publication(client, db, settings, role):
    world, assessment = _published(db, settings)
    user = {
        "planner": world.planner,
        "admin": world.admin,
        "unit_reporter": world.reporter,
        "monitor": world.monitor,
        "moderator": make_user(db, settings, Role.moderator, ["cankaya"]),
    }[role]
    login(client, user)
    base = f"/api/v1/assessments/{assessment.id}"
    for method, path, body in (
        ("PATCH", base, {"rating": "compliant"}),
        ("PATCH", base, {"recommendation": ""}),
        ("DELETE", base, None),
        ("POST", base + "/publish", None),
    ):
        response = client.request(method, path, json=body)
        assert response.status_code in (403, 404, 409), (method, path, response.text)
    answer = client.post(base + "/response", json={"municipal_response": "Yanıtımız."})
    assert answer.status_code == (200 if role in ("planner", "admin", "unit_reporter") else 403)
    _unchanged(db, assessment.id)
    public = client.get(f"/api/v1/plans/{world.plan.code}").json()
    (shown,) = public["assessments"]
    assert shown["rating"] == ORIGINAL["rating"]
