"""Every monitoring route for every role, over real HTTP: anonymous, moderator, planner,
admin, monitor (a sitting board member), unit reporter, and a planner of another
municipality ("stranger"). The expected answers are written out by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from app.models import EvidenceKind, Role
from app.schemas.monitoring import AssessmentCreate, UpdateCreate
from app.services.monitoring import board, plans, updates
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import login, make_user

ROLES = ["anonymous", "moderator", "planner", "admin", "monitor", "unit_reporter", "stranger"]
MANAGERS = frozenset({"planner", "admin"})
INSIDE = frozenset({"planner", "admin", "monitor", "unit_reporter"})
EVERYONE = frozenset(ROLES)
OUTSIDERS = frozenset({"anonymous", "moderator", "stranger"})
PLAN = "/api/v1/plans/YEEP-TEST"


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str  # {draft_update}, {submitted_update}, {draft}, {published}, {evidence}
    body: Any
    allowed: frozenset[str]
    ok: int = 200
    hidden: frozenset[str] = frozenset()  # answered 404
    form: bool = False  # a multipart upload


CALLS = [
    Call("list plans", "GET", "/api/v1/plans?municipality=cankaya", None, EVERYONE),
    Call("plan", "GET", PLAN, None, EVERYONE),
    Call("plan csv", "GET", PLAN + "/data.csv", None, EVERYONE),
    Call("plan json", "GET", PLAN + "/data.json", None, EVERYONE),
    Call("plan geojson", "GET", PLAN + "/data.geojson", None, EVERYONE),
    Call("published assessment", "GET", "/api/v1/assessments/{published}", None, EVERYONE),
    Call("draft assessment", "GET", "/api/v1/assessments/{draft}", None, INSIDE, hidden=OUTSIDERS),
    Call(
        "evidence of a draft", "GET", "/api/v1/evidence/{evidence}", None, INSIDE, hidden=OUTSIDERS
    ),
    Call(
        "create plan",
        "POST",
        "/api/v1/plans",
        {
            "municipality": "cankaya",
            "code": "YEEP-NEW",
            "title_tr": "Yeni plan",
            "period_start": f"{YEAR + 3}-01-01",
            "period_end": f"{YEAR + 6}-12-31",
        },
        MANAGERS,
        201,
    ),
    Call("edit plan", "PATCH", PLAN, {"council_decision_no": "2025/17"}, MANAGERS),
    Call("plan state", "POST", PLAN + "/state", {"state": "closed"}, MANAGERS),
    Call(
        "create item",
        "POST",
        PLAN + "/items",
        {"code": "1.1.3", "kind": "activity", "parent": "1.1.T", "title_tr": "Kamera"},
        MANAGERS,
        201,
    ),
    Call("edit item", "PATCH", PLAN + "/items/1.1.1", {"progress": 30}, MANAGERS),
    Call(
        "create indicator",
        "POST",
        PLAN + "/indicators",
        {
            "code": "G3",
            "item": "1.1.T",
            "name_tr": "Güvenlik yürüyüşü katılımcısı",
            "unit": "count",
            "level": "process",
            "source": "manual",
        },
        MANAGERS,
        201,
    ),
    Call("edit indicator", "PATCH", PLAN + "/indicators/G2", {"target_value": 500}, MANAGERS),
    Call("units", "GET", "/api/v1/monitoring/units?municipality=cankaya", None, INSIDE),
    Call(
        "create unit",
        "POST",
        "/api/v1/monitoring/units",
        {"municipality": "cankaya", "code": "park-bahce", "name": "Park ve Bahçeler"},
        MANAGERS,
        201,
    ),
    Call(
        "attach reporter",
        "POST",
        "/api/v1/monitoring/unit-reporters",
        {"municipality": "cankaya", "unit": "kadin", "email": "{reporter_email}"},
        MANAGERS,
        201,
    ),
    Call(
        "create period",
        "POST",
        PLAN + "/periods",
        {
            "label": f"{YEAR + 1}-H1",
            "kind": "semiannual",
            "starts_on": f"{YEAR + 1}-01-01",
            "ends_on": f"{YEAR + 1}-06-30",
        },
        MANAGERS,
        201,
    ),
    Call(
        "period state", "POST", PLAN + f"/periods/{YEAR}/state", {"state": "collecting"}, MANAGERS
    ),
    Call(
        "observation",
        "POST",
        PLAN + "/indicators/G2/observations",
        {"period": str(YEAR), "value": 150},
        MANAGERS | {"unit_reporter"},
        201,
    ),
    Call(
        "create update",
        "POST",
        PLAN + "/items/1.1.1/updates",
        {"period": str(YEAR), "status": "in_progress", "progress": 20, "narrative": "Başladı"},
        MANAGERS | {"unit_reporter"},
        201,
    ),
    Call(
        "submit update",
        "POST",
        "/api/v1/updates/{draft_update}/submit",
        None,
        MANAGERS | {"unit_reporter"},
        hidden=OUTSIDERS,
    ),
    Call(
        "accept update",
        "POST",
        "/api/v1/updates/{submitted_update}/accept",
        {"note": "Tamam"},
        MANAGERS,
        hidden=OUTSIDERS,
    ),
    Call(
        "return update",
        "POST",
        "/api/v1/updates/{submitted_update}/return",
        {"note": "Kanıt eksik"},
        MANAGERS,
        hidden=OUTSIDERS,
    ),
    Call(
        "evidence link",
        "POST",
        "/api/v1/updates/{draft_update}/links",
        {"title": "İhale ilanı", "url": "https://ekap.kik.gov.tr/x", "kind": "tender"},
        MANAGERS | {"unit_reporter"},
        201,
        hidden=OUTSIDERS,
    ),
    Call(
        "evidence file",
        "POST",
        "/api/v1/updates/{draft_update}/evidence",
        {"kind": "document", "title": "Rapor"},
        MANAGERS | {"unit_reporter"},
        201,
        hidden=OUTSIDERS,
        form=True,
    ),
    Call(
        "board member",
        "POST",
        "/api/v1/monitoring/board",
        {
            "email": "{monitor_email}",
            "municipality": "cankaya",
            "plan": "YEEP-TEST",
            "organisation": "Kent Hakkı Platformu",
            "term_start": date.today().isoformat(),
            "term_end": (date.today() + timedelta(days=365)).isoformat(),
        },
        frozenset({"admin"}),
        201,
    ),
    Call(
        "create assessment",
        "POST",
        PLAN + "/assessments",
        {"period": str(YEAR), "indicator": "G1", "rating": "insufficient_data"},
        frozenset({"monitor"}),
        201,
    ),
    Call(
        "edit draft assessment",
        "PATCH",
        "/api/v1/assessments/{draft}",
        {"recommendation": "Veri toplayın"},
        frozenset({"monitor"}),
        hidden=OUTSIDERS,
    ),
    Call(
        "publish assessment",
        "POST",
        "/api/v1/assessments/{draft}/publish",
        None,
        frozenset({"monitor"}),
        hidden=OUTSIDERS,
    ),
    Call(
        "withdraw draft assessment",
        "DELETE",
        "/api/v1/assessments/{draft}",
        None,
        frozenset({"monitor"}),
        204,
        hidden=OUTSIDERS,
    ),
    Call(
        "respond",
        "POST",
        "/api/v1/assessments/{published}/response",
        {"municipal_response": "Bütçe ayrıldı."},
        frozenset({"planner", "admin", "unit_reporter"}),
    ),
]


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _setup(db, settings):
    world = build_plan(db, settings)
    item = plans.item_by_code(db, world.plan, "1.1.1")
    body = UpdateCreate(period=str(YEAR), status="in_progress", progress=10)
    draft = updates.create_update(db, world.reporter, world.plan, item, body)
    updates.add_evidence_file(
        db,
        settings,
        world.reporter,
        draft,
        kind=EvidenceKind.document,
        title="Tutanak",
        data=b"%PDF-1.4\n",
        is_private=False,
    )
    submitted = updates.create_update(db, world.reporter, world.plan, item, body)
    updates.submit_update(db, world.reporter, submitted)
    draft_assessment = board.create_assessment(
        db,
        world.monitor,
        world.plan,
        AssessmentCreate(period=str(YEAR), item="1.1.T", rating="non_compliant"),
    )
    published = board.create_assessment(
        db,
        world.monitor,
        world.plan,
        AssessmentCreate(period=str(YEAR), item="1.1.1", rating="partly_compliant"),
    )
    board.publish_assessment(db, world.monitor, published)
    evidence = updates.evidence_of(db, [draft.id], True)[0]
    users = {
        "moderator": make_user(db, settings, Role.moderator, ["cankaya"]),
        "planner": world.planner,
        "admin": world.admin,
        "monitor": world.monitor,
        "unit_reporter": world.reporter,
        "stranger": make_user(db, settings, Role.planner, ["yenimahalle"]),
    }
    ids = {
        "draft_update": str(draft.id),
        "submitted_update": str(submitted.id),
        "draft": str(draft_assessment.id),
        "published": str(published.id),
        "evidence": str(evidence.id),
        "reporter_email": world.reporter.email,
        "monitor_email": world.monitor.email,
    }
    return users, ids


def _expected(call: Call, role: str) -> int:
    if role == "anonymous" and call.method != "GET":
        return 401  # every writing route needs a login first
    if role in call.allowed:
        return call.ok
    if role in call.hidden:
        return 404
    if role == "anonymous":
        return 401
    return 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_role_matrix(client, db, settings, call, role):
    users, ids = _setup(db, settings)
    if role != "anonymous":
        login(client, users[role])
    path, body = _fill(call.path, ids), _fill(call.body, ids)
    if call.form:
        response = client.request(
            call.method,
            path,
            data=body,
            files={"file": ("r.pdf", b"%PDF-1.4\n", "application/pdf")},
        )
    else:
        response = client.request(call.method, path, json=body)
    assert response.status_code == _expected(call, role), response.text


def test_draft_plans_are_hidden_from_outsiders(client, db, settings):
    world = build_plan(db, settings, state="draft")
    assert client.get(PLAN).status_code == 404
    assert client.get("/api/v1/plans?municipality=cankaya").json()["plans"] == []
    login(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    assert client.get(PLAN).status_code == 404
    assert client.patch(PLAN, json={"summary": "x"}).status_code == 404
    client.cookies.clear()
    login(client, world.planner)
    assert client.get(PLAN).json()["state"] == "draft"
