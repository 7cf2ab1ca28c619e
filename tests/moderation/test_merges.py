"""Safer merges through HTTP: candidates near the duplicate of the same group, a reason
required across groups or over 500 m, unmerge from the audit log, other municipalities kept
out."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Confirmation, ReportStatus, Role
from tests.support.factories import KIZILAY, login, make_report, make_user
from tests.support.moderation_support import events_for, mod_url

S = ReportStatus
LON, LAT = KIZILAY
# About 111 m per 0.001° of latitude.
NEAR = (LON, LAT + 0.001)  # ~111 m north
FAR = (LON, LAT + 0.006)  # ~670 m north


def candidates(client, report, **params):
    return client.get(mod_url(report, "merge-candidates"), params=params)


def test_candidates_are_near_of_the_same_group_and_mergeable(client, db, settings):
    duplicate, _ = make_report(db, settings)
    near, _ = make_report(db, settings, lon=NEAR[0], lat=NEAR[1], status=S.published)
    nearest, _ = make_report(db, settings, lon=LON + 0.0002, lat=LAT)  # ~17 m, pending
    other_group, _ = make_report(db, settings, category="no_night_service", status=S.published)
    far, _ = make_report(db, settings, lon=FAR[0], lat=FAR[1], status=S.published)
    rejected, _ = make_report(db, settings, status=S.rejected)
    login(client, make_user(db, settings, Role.moderator))

    response = candidates(client, duplicate)
    assert response.status_code == 200, response.text
    items = response.json()
    assert [i["public_id"] for i in items] == [nearest.public_id, near.public_id]
    assert 10 < items[0]["distance_m"] < 25 and 100 < items[1]["distance_m"] < 125
    assert {i["category_group"] for i in items} == {"lighting"}
    assert items[1]["status"] == "published" and items[1]["location"]["lat"] > LAT
    # A wider radius reaches the far one; the other group and the rejected one never come.
    wide = [i["public_id"] for i in candidates(client, duplicate, radius_m=1000).json()]
    assert wide == [nearest.public_id, near.public_id, far.public_id]
    assert other_group.public_id not in wide and rejected.public_id not in wide
    assert duplicate.public_id not in wide


def test_candidates_refuse_a_bad_radius_and_the_public(client, db, settings):
    duplicate, _ = make_report(db, settings)
    assert candidates(client, duplicate).status_code == 401
    login(client, make_user(db, settings, Role.moderator))
    for radius in (0, -5, 5000, "far"):
        response = candidates(client, duplicate, radius_m=radius)
        assert response.status_code == 422, (radius, response.text)
        assert response.json()["error"]["message"]


def test_merge_across_groups_needs_a_reason(client, db, settings):
    original, _ = make_report(db, settings, category="dark_street", status=S.published)
    duplicate, _ = make_report(db, settings, category="no_night_service")
    login(client, make_user(db, settings, Role.moderator))
    refused = client.post(mod_url(duplicate, "merge"), json={"into": original.public_id})
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert "different category groups" in error["message"]
    assert error["details"]["same_group"] is False
    db.refresh(duplicate)
    assert duplicate.status is S.pending and events_for(db, duplicate) == []
    blank = client.post(
        mod_url(duplicate, "merge"), json={"into": original.public_id, "reason": "   "}
    )
    assert blank.status_code == 409

    why = "Aynı durak: gece otobüsü yok ve lamba yanmıyor, aynı sorun."
    merged = client.post(
        mod_url(duplicate, "merge"), json={"into": original.public_id, "reason": why}
    )
    assert merged.status_code == 200, merged.text
    [event] = [e for e in events_for(db, duplicate) if e.action == "report.merge"]
    assert event.note == why and event.after["same_group"] is False


def test_merge_over_500_m_needs_a_reason(client, db, settings):
    original, _ = make_report(db, settings, lon=FAR[0], lat=FAR[1], status=S.published)
    duplicate, _ = make_report(db, settings)
    login(client, make_user(db, settings, Role.moderator))
    refused = client.post(mod_url(duplicate, "merge"), json={"into": original.public_id})
    assert refused.status_code == 409
    message = refused.json()["error"]["message"]
    assert "m apart (more than 500 m)" in message
    assert 600 < refused.json()["error"]["details"]["distance_m"] < 720
    ok = client.post(
        mod_url(duplicate, "merge"), json={"into": original.public_id, "reason": "Aynı park."}
    )
    assert ok.status_code == 200
    # Near and of the same group: no reason needed.
    close, _ = make_report(db, settings, lon=NEAR[0], lat=NEAR[1], status=S.published)
    another, _ = make_report(db, settings)
    assert client.post(mod_url(another, "merge"), json={"into": close.public_id}).status_code == 200


def test_unmerge_restores_the_duplicate_and_its_confirmations(client, db, settings):
    original, _ = make_report(db, settings, status=S.published)
    duplicate, code = make_report(db, settings, status=S.published)
    db.add(Confirmation(report_id=original.id, municipality_id=original.municipality_id))
    db.add_all(
        [
            Confirmation(report_id=duplicate.id, municipality_id=duplicate.municipality_id)
            for _ in range(2)
        ]
    )
    db.flush()
    login(client, make_user(db, settings, Role.moderator))

    def counts():
        db.expire_all()
        of = lambda r: db.scalar(  # noqa: E731
            select(func.count(Confirmation.id)).where(Confirmation.report_id == r.id)
        )
        return of(original), of(duplicate)

    assert client.post(mod_url(duplicate, "merge"), json={"into": original.public_id}).is_success
    assert counts() == (4, 0)
    undone = client.post(mod_url(duplicate, "unmerge"), json={"note": "Farklı sokaklar."})
    assert undone.status_code == 200, undone.text
    assert undone.json() == {"public_id": duplicate.public_id, "status": "published"}
    db.refresh(duplicate)
    assert duplicate.status is S.published and duplicate.merged_into_id is None
    assert counts() == (1, 2)
    actions = [e.action for e in events_for(db, duplicate)]
    assert actions == ["report.merge", "report.unmerge"]
    unmerge_event = events_for(db, duplicate)[-1]
    assert unmerge_event.before["status"] == "merged"
    assert unmerge_event.after["status"] == "published"
    assert unmerge_event.note == "Farklı sokaklar."
    assert [e.action for e in events_for(db, original)] == [
        "report.merge_received",
        "report.unmerge_received",
    ]
    # Twice is refused: it is not merged any more.
    again = client.post(mod_url(duplicate, "unmerge"))
    assert again.status_code == 409 and "only reports that are merged" in again.text
    client.cookies.clear()
    tracked = client.post("/api/v1/track", json={"code": code}).json()
    assert tracked["status"] == "published" and tracked.get("merged_into") is None


def test_unmerge_of_a_merge_without_a_record_is_refused_clearly(client, db, settings):
    report, _ = make_report(db, settings, status=S.merged)
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(mod_url(report, "unmerge"))
    assert response.status_code == 409
    assert "cannot be restored automatically" in response.json()["error"]["message"]


def test_another_municipalitys_moderator_is_refused(client, db, settings):
    original, _ = make_report(db, settings, status=S.published)  # both in Çankaya
    duplicate, _ = make_report(db, settings)
    own = make_user(db, settings, Role.moderator, ["cankaya"])
    other = make_user(db, settings, Role.moderator, ["yenimahalle"])
    login(client, other)
    assert candidates(client, duplicate).status_code == 404
    refused = client.post(mod_url(duplicate, "merge"), json={"into": original.public_id})
    assert refused.status_code == 404
    login(client, own)
    assert client.post(mod_url(duplicate, "merge"), json={"into": original.public_id}).is_success
    login(client, other)
    assert client.post(mod_url(duplicate, "unmerge")).status_code == 404
    db.refresh(duplicate)
    assert duplicate.status is S.merged
