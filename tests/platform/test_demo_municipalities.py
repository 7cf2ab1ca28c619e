"""The demo's municipalities: Ankara BB with Çankaya and Yenimahalle, reports in both
districts, staff per municipality, the departments that act, and tracking codes that nothing
public gives away."""

from __future__ import annotations

import random

from sqlalchemy import func, select, text

from app.demo.load import load_demo
from app.demo.reports import DEMO_SEED, load_demo_reports
from app.demo.staff import DEMO_ACCOUNTS, DEPARTMENTS
from app.models import (
    CategoryGroup,
    ModerationEvent,
    Municipality,
    MunicipalityKind,
    Report,
    ReportSource,
    ReportStatus,
    Role,
    User,
)
from app.services.reference import memberships, responsibility_list, responsible_for, staff_scope
from app.services.reporting import hash_tracking_code, new_public_id, new_tracking_code


def _by_code(db) -> dict[str, Municipality]:
    return {m.code: m for m in db.scalars(select(Municipality))}


def test_demo_has_three_municipalities_and_reports_in_both_districts(db, settings):
    load_demo(db, settings)
    found = _by_code(db)
    assert set(found) == {"ankara", "cankaya", "yenimahalle"}
    assert found["ankara"].kind is MunicipalityKind.metropolitan
    assert found["ankara"].parent_id is None
    for district in ("cankaya", "yenimahalle"):
        assert found[district].kind is MunicipalityKind.district
        assert found[district].parent_id == found["ankara"].id

    rows = db.execute(
        select(Municipality.code, Report.status, func.count())
        .join(Report, Report.municipality_id == Municipality.id)
        .where(Report.source == ReportSource.demo)
        .group_by(Municipality.code, Report.status)
    ).all()
    counts = {(code, status): n for code, status, n in rows}
    total = sum(counts.values())
    assert total == 600
    for district in ("cankaya", "yenimahalle"):
        # Each volunteer has a queue to work and each district a published map.
        assert counts.get((district, ReportStatus.pending), 0) >= 20, district
        assert counts.get((district, ReportStatus.published), 0) >= 60, district
    yenimahalle = sum(n for (code, _), n in counts.items() if code == "yenimahalle")
    # 60 of the 184 mahalle: a fair share, not a handful at the border.
    assert 0.25 < yenimahalle / total < 0.5
    assert not any(code == "ankara" for code, _ in counts)  # every report is in a district


def test_demo_staff_hold_their_roles_in_their_municipalities(db, settings, client):
    lines = load_demo(db, settings)
    found = _by_code(db)
    expected = {
        "gonullu.cankaya@demo.morharita.example": (Role.moderator, ["cankaya"]),
        "gonullu.yenimahalle@demo.morharita.example": (Role.moderator, ["yenimahalle"]),
        "planlama@demo.morharita.example": (Role.planner, ["ankara"]),
        "yonetici@demo.morharita.example": (Role.admin, []),
    }
    assert {d.email for d in DEMO_ACCOUNTS} == set(expected)
    users = {u.email: u for u in db.scalars(select(User).where(User.email.in_(expected)))}
    for email, (role, codes) in expected.items():
        assert users[email].role is role
        assert memberships(db, users[email].id) == codes
        line = next(line for line in lines if email in line)
        assert f"municipalities: {', '.join(codes) or 'all'}" in line

    # The Çankaya volunteer's role covers Çankaya only; the Ankara BB planner's both districts.
    cankaya_volunteer = users["gonullu.cankaya@demo.morharita.example"]
    assert staff_scope(db, cankaya_volunteer) == (found["cankaya"].id,)
    planner = users["planlama@demo.morharita.example"]
    assert set(staff_scope(db, planner)) == {m.id for m in found.values()}
    assert staff_scope(db, users["yonetici@demo.morharita.example"]) is None

    db.commit()
    demo = next(d for d in DEMO_ACCOUNTS if d.email == cankaya_volunteer.email)
    client.post("/api/v1/auth/login", json={"email": demo.email, "password": demo.password})
    me = client.get("/api/v1/auth/me")
    assert me.status_code == 200 and me.json()["role"] == "moderator"

    again = load_demo(db, settings)  # existing accounts are left as they are
    assert [line for line in again if "@demo." in line] == [
        line for line in lines if "@demo." in line
    ]
    assert db.scalar(select(func.count(User.id)).where(User.email.in_(expected))) == 4


def test_demo_departments_act_where_they_should_and_a_rerun_changes_nothing(db, settings):
    load_demo(db, settings)
    found = _by_code(db)
    rows = {(r["area"], r["category_group"]): r for r in responsibility_list(db)}
    for district in ("cankaya", "yenimahalle"):
        for group in (
            CategoryGroup.lighting,
            CategoryGroup.infrastructure,
            CategoryGroup.environment,
        ):
            row = rows[(district, group)]
            assert row["responsible"] == district
            assert row["department"] == DEPARTMENTS[group]
    transport = rows[("ankara", CategoryGroup.transport)]
    assert (transport["responsible"], transport["department"]) == ("ankara", "EGO Genel Müdürlüğü")
    # A bus stop in Yenimahalle is Ankara BB's (EGO); a dark street there is Yenimahalle's.
    bus = responsible_for(db, found["yenimahalle"].id, CategoryGroup.transport)
    assert (bus.code, bus.department) == ("ankara", "EGO Genel Müdürlüğü")
    street = responsible_for(db, found["yenimahalle"].id, CategoryGroup.lighting)
    assert street.code == "yenimahalle" and street.department.startswith("Fen İşleri")

    events = select(func.count(ModerationEvent.id)).where(
        ModerationEvent.action.startswith("responsibility.")
    )
    before = db.scalar(events)
    assert before >= 7
    load_demo(db, settings)
    assert db.scalar(events) == before  # set once, audited once


def _seeded_codes(n: int) -> dict[str, str]:
    """{public id: tracking code} as an earlier version drew them, from the public seed."""
    rng = random.Random(DEMO_SEED)
    id_rng = random.Random(rng.getrandbits(64))
    return {new_public_id(id_rng, prefix="demo"): new_tracking_code(id_rng) for _ in range(n)}


def test_demo_tracking_codes_cannot_be_recomputed_from_the_seed(db, settings):
    load_demo(db, settings)
    stored = dict(
        db.execute(
            select(Report.public_id, Report.tracking_code_hash).where(
                Report.source == ReportSource.demo
            )
        ).all()
    )
    seeded = _seeded_codes(800)
    assert set(stored) <= set(seeded)  # the recomputation is right: the public ids match
    seeded_hashes = {hash_tracking_code(code) for code in seeded.values()}
    assert not seeded_hashes & set(stored.values())
    # Nor a stream seeded with the public seed itself.
    plain = random.Random(DEMO_SEED)
    assert not {hash_tracking_code(new_tracking_code(plain)) for _ in range(2000)} & set(
        stored.values()
    )


def test_a_rerun_gives_fresh_codes_to_reports_still_holding_seeded_ones(db, settings):
    load_demo(db, settings)
    public_id, code = next(iter(_seeded_codes(1).items()))
    db.execute(
        text("UPDATE report SET tracking_code_hash = :h WHERE public_id = :p"),
        {"h": hash_tracking_code(code), "p": public_id},
    )
    result = load_demo_reports(db, settings)
    assert (result.inserted, result.rekeyed, result.tracking_code) == (0, 1, None)
    stored = db.scalar(select(Report.tracking_code_hash).where(Report.public_id == public_id))
    assert stored != hash_tracking_code(code)
    assert load_demo_reports(db, settings).rekeyed == 0


def test_the_first_load_prints_a_code_that_works(db, settings, client):
    lines = load_demo(db, settings)
    code = next(line for line in lines if line.startswith("Try a demo tracking code"))
    db.commit()
    answer = client.post("/api/v1/track", json={"code": code.split(": ")[1].split()[0]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "published"
