"""The municipal response routes by the responsibility table: who acts is shown before
forwarding, recorded when forwarded, and only that municipality's staff record what follows."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from app.models import CategoryGroup, Municipality, ReportStatus, Role
from app.services.reference import responsible_for, set_responsibility
from tests.support.factories import login, make_report, make_user

STATUS = "/api/v1/municipal/reports/{id}/status"


def _id(db, code: str) -> int:
    from sqlalchemy import select

    return db.scalar(select(Municipality.id).where(Municipality.code == code))


def test_defaults_districts_act_on_lighting_and_the_metropolitan_on_transport(db):
    cankaya = _id(db, "cankaya")
    assert responsible_for(db, cankaya, CategoryGroup.lighting).code == "cankaya"
    assert responsible_for(db, cankaya, CategoryGroup.infrastructure).code == "cankaya"
    assert responsible_for(db, cankaya, CategoryGroup.environment).code == "cankaya"
    assert responsible_for(db, cankaya, CategoryGroup.transport).code == "ankara"
    # No row anywhere on the chain: the municipality itself.
    assert responsible_for(db, cankaya, CategoryGroup.other).code == "cankaya"


def test_a_row_for_the_area_overrides_the_parents_and_must_be_on_its_chain(db):
    set_responsibility(db, None, "cankaya", CategoryGroup.transport, "cankaya", "Ulaşım Md.")
    duty = responsible_for(db, _id(db, "cankaya"), CategoryGroup.transport)
    assert (duty.code, duty.department) == ("cankaya", "Ulaşım Md.")
    assert responsible_for(db, _id(db, "yenimahalle"), CategoryGroup.transport).code == "ankara"
    with pytest.raises(InvalidInput) as refused:  # a sibling district cannot act in Çankaya
        set_responsibility(db, None, "cankaya", CategoryGroup.lighting, "yenimahalle")
    assert refused.value.field == "responsible"


def test_forwarding_routes_to_the_responsible_and_only_its_staff_record_the_next_steps(
    client, db, settings
):
    set_responsibility(db, None, "ankara", CategoryGroup.transport, "ankara", "EGO Genel Müdürlüğü")
    report, _ = make_report(db, settings, category="unsafe_stop", status=ReportStatus.published)
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    queue = client.get("/api/v1/moderation/reports", params={"status": "published"}).json()
    item = next(i for i in queue["items"] if i["public_id"] == report.public_id)
    assert item["responsible"]["code"] == "ankara"  # shown before forwarding
    assert item["responsible"]["department"] == "EGO Genel Müdürlüğü"
    forwarded = client.post(
        STATUS.format(id=report.public_id),
        json={"status": "forwarded", "note": "EGO'ya iletildi."},  # department from the table
    )
    assert forwarded.status_code == 201, forwarded.text
    db.refresh(report)
    assert report.responsible_municipality_id == _id(db, "ankara")
    assert report.municipal_department == "EGO Genel Müdürlüğü"

    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    listed = client.get("/api/v1/municipal/reports").json()["items"]
    mine = next(i for i in listed if i["public_id"] == report.public_id)
    assert mine["responsible"]["code"] == "ankara"  # Çankaya sees who acts
    refused = client.post(
        STATUS.format(id=report.public_id), json={"status": "in_progress", "note": "Bakıyoruz."}
    )
    assert refused.status_code == 403 and "'ankara'" in refused.json()["error"]["message"]
    assert (
        client.get("/api/v1/municipal/reports", params={"forwarded_to_me": True}).json()["total"]
        == 0
    )

    login(client, make_user(db, settings, Role.planner, ["ankara"]))
    to_me = client.get("/api/v1/municipal/reports", params={"forwarded_to_me": True}).json()
    assert report.public_id in {i["public_id"] for i in to_me["items"]}
    done = client.post(
        STATUS.format(id=report.public_id), json={"status": "in_progress", "note": "Bakıyoruz."}
    )
    assert done.status_code == 201, done.text
