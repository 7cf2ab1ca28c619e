"""Monitoring services: bad input refused naming the field with nothing half-saved; the
audit log with before/after; updates reviewed and applied; evidence checked by its bytes."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.errors import InvalidInput, NotPermitted
from app.models import (
    EvidenceKind,
    ItemStatus,
    ModerationEvent,
    PeriodState,
    PlanIndicator,
    PlanItem,
    ReviewState,
)
from app.schemas.monitoring import (
    IndicatorCreate,
    IndicatorFields,
    ItemCreate,
    ItemFields,
    ObservationCreate,
    UpdateCreate,
)
from app.services.monitoring import indicators, periods, plans, updates, views
from tests.monitoring.support import YEAR, build_plan


@pytest.fixture
def world(db, settings):
    return build_plan(db, settings)


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_tree_progress_rolls_up_and_is_audited(db, settings, world):
    item = plans.item_by_code(db, world.plan, "1.1.1")
    plans.update_item(db, world.planner, world.plan, item, ItemFields(progress=60))
    other = plans.item_by_code(db, world.plan, "1.1.2")
    plans.update_item(db, world.planner, world.plan, other, ItemFields(status="done"))
    assert other.progress == 100  # the status's default progress
    detail = views.plan_detail(db, settings, world.plan, None)
    target = detail["items"][0]["children"][0]["children"][0]
    assert target["code"] == "1.1.T" and target["progress"] == 80
    assert detail["progress"] == 80
    event = db.scalars(
        select(ModerationEvent)
        .where(ModerationEvent.action == "monitoring.item.update")
        .order_by(ModerationEvent.id.desc())
    ).first()
    assert event.before == {"status": "not_started", "progress": None}
    assert event.after == {"status": "done", "progress": 100.0}


@pytest.mark.parametrize("progress", [-5, 101])
def test_progress_outside_range_is_refused(db, world, progress):
    item = plans.item_by_code(db, world.plan, "1.1.1")
    with pytest.raises(InvalidInput) as exc:
        plans.update_item(
            db, world.planner, world.plan, item, ItemFields(title_tr="Yeni", progress=progress)
        )
    assert exc.value.field == "progress"
    assert item.title_tr == "Lamba yenileme"  # nothing half-saved


def test_progress_only_on_activities(db, world):
    target = plans.item_by_code(db, world.plan, "1.1.T")
    with pytest.raises(InvalidInput, match="activities only") as exc:
        plans.update_item(db, world.planner, world.plan, target, ItemFields(progress=50))
    assert exc.value.field == "progress"


def test_cycle_in_the_tree_is_refused(db, world):
    objective = plans.item_by_code(db, world.plan, "1.1")
    with pytest.raises(InvalidInput, match="cycle") as exc:
        plans.update_item(db, world.planner, world.plan, objective, ItemFields(parent="1.1.T"))
    assert exc.value.field == "parent"
    theme = plans.item_by_code(db, world.plan, "1")
    with pytest.raises(InvalidInput, match="cycle"):
        plans.update_item(db, world.planner, world.plan, theme, ItemFields(parent="1"))
    with pytest.raises(InvalidInput, match="cannot sit under"):
        plans.create_item(
            db,
            world.planner,
            world.plan,
            ItemCreate(code="9", kind="objective", parent="1.1.1", title_tr="x"),
        )
    assert objective.parent_id == theme.id


def test_target_without_baseline_period_is_refused(db, world):
    before = _count(db, PlanIndicator)
    with pytest.raises(InvalidInput) as exc:
        indicators.create_indicator(
            db,
            world.planner,
            world.plan,
            IndicatorCreate(
                code="G9",
                item="1.1.T",
                name_tr="x",
                unit="count",
                level="output",
                source="manual",
                baseline_value=3,
                target_value=10,
                target_period=YEAR + 2,
            ),
        )
    assert exc.value.field == "baseline_period"
    assert _count(db, PlanIndicator) == before
    g2 = indicators.indicator_by_code(db, world.plan, "G2")
    with pytest.raises(InvalidInput) as exc:
        indicators.update_indicator(
            db, world.planner, world.plan, g2, IndicatorFields(baseline_period=None)
        )
    assert exc.value.field == "baseline_period"
    with pytest.raises(InvalidInput) as exc:
        indicators.create_indicator(
            db,
            world.planner,
            world.plan,
            IndicatorCreate(
                code="G8",
                item="1.1.T",
                name_tr="x",
                unit="count",
                level="output",
                source="computed",
                computed_code="no_such_indicator",
            ),
        )
    assert exc.value.field == "computed_code"


def _update(**overrides) -> UpdateCreate:
    body = {"period": str(YEAR), "status": "in_progress", "progress": 40, "narrative": "120 lamba"}
    body.update(overrides)
    return UpdateCreate(**body)


def test_update_flow_applies_to_the_item(db, world):
    item = plans.item_by_code(db, world.plan, "1.1.1")
    update = updates.create_update(
        db, world.reporter, world.plan, item, _update(budget_spent_try="90000")
    )
    updates.submit_update(db, world.reporter, update)
    with pytest.raises(InvalidInput, match="Say why"):
        updates.review_update(db, world.planner, update, False, None)
    updates.review_update(db, world.planner, update, False, "Kanıt ekleyin.")
    assert update.review_state is ReviewState.returned
    updates.submit_update(db, world.reporter, update)
    with pytest.raises(NotPermitted):
        updates.review_update(db, world.reporter, update, True, None)
    updates.review_update(db, world.planner, update, True, "Teşekkürler")
    assert item.progress == 40 and item.status is ItemStatus.in_progress
    assert item.budget_spent_try == 90000
    actions = set(db.scalars(select(ModerationEvent.action)))
    assert {
        "monitoring.update.create",
        "monitoring.update.submitted",
        "monitoring.update.returned",
        "monitoring.update.accepted",
    } <= actions


def test_unit_reporter_cannot_update_another_units_item(db, world):
    item = plans.item_by_code(db, world.plan, "1.1.2")  # the kadin unit's
    with pytest.raises(NotPermitted) as exc:
        updates.create_update(db, world.reporter, world.plan, item, _update())
    assert exc.value.field == "item"
    g1_item = plans.item_by_code(db, world.plan, "1.1.1")
    with pytest.raises(NotPermitted):
        updates.create_update(db, world.other_reporter, world.plan, g1_item, _update())


def test_update_progress_outside_range_is_refused(db, world):
    item = plans.item_by_code(db, world.plan, "1.1.1")
    with pytest.raises(InvalidInput) as exc:
        updates.create_update(db, world.reporter, world.plan, item, _update(progress=140))
    assert exc.value.field == "progress"


def test_observation_for_a_closed_period_is_refused(db, settings, world):
    g2 = indicators.indicator_by_code(db, world.plan, "G2")
    body = ObservationCreate(period=str(YEAR), value=180)
    periods.enter_observation(db, world.reporter, world.plan, g2, body)
    period = periods.period_by_label(db, world.plan, str(YEAR))
    for state in (PeriodState.collecting, PeriodState.under_review):
        periods.change_period_state(db, settings, world.planner, world.plan, period, state)
    with pytest.raises(InvalidInput, match="closed") as exc:
        periods.enter_observation(
            db, world.reporter, world.plan, g2, ObservationCreate(period=str(YEAR), value=999)
        )
    assert exc.value.field == "period"
    with pytest.raises(NotPermitted):
        periods.enter_observation(db, world.other_reporter, world.plan, g2, body)


def _photo_bytes() -> bytes:
    image = Image.new("RGB", (40, 30), (120, 30, 160))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_evidence_is_checked_against_its_kind(db, settings, world):
    item = plans.item_by_code(db, world.plan, "1.1.1")
    update = updates.create_update(db, world.reporter, world.plan, item, _update())
    with pytest.raises(InvalidInput, match="not a JPEG") as exc:
        updates.add_evidence_file(
            db,
            settings,
            world.reporter,
            update,
            kind=EvidenceKind.photo,
            title="foto",
            data=b"%PDF-1.4 not a photo",
            is_private=False,
        )
    assert exc.value.field == "file"
    with pytest.raises(InvalidInput, match="PDF"):
        updates.add_evidence_file(
            db,
            settings,
            world.reporter,
            update,
            kind=EvidenceKind.council_decision,
            title="karar",
            data=_photo_bytes(),
            is_private=False,
        )
    photo = updates.add_evidence_file(
        db,
        settings,
        world.reporter,
        update,
        kind=EvidenceKind.photo,
        title="foto",
        data=_photo_bytes(),
        is_private=True,
    )
    assert b"SecretCam" not in photo.content and b"Exif" not in photo.content
    assert len(photo.sha256) == 64
    pdf = updates.add_evidence_file(
        db,
        settings,
        world.reporter,
        update,
        kind=EvidenceKind.document,
        title="rapor",
        data=b"%PDF-1.7\n...",
        is_private=False,
    )
    assert pdf.media_type == "application/pdf"


def test_manager_of_another_municipality_is_refused(db, settings, world):
    from app.models import Role
    from tests.support.factories import make_user

    stranger = make_user(db, settings, Role.planner, ["yenimahalle"])
    item = plans.item_by_code(db, world.plan, "1.1.1")
    with pytest.raises(NotPermitted):
        plans.update_item(db, stranger, world.plan, item, ItemFields(title_tr="x"))
    assert db.get(PlanItem, item.id).title_tr == "Lamba yenileme"
