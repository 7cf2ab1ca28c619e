"""Importing a plan over HTTP: the equality unit only, all rows or none, problems by row."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.models import EqualityPlan, PlanItem, Role
from tests.support.factories import login, make_user

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "monitoring" / "yeep_template.csv"
FORM = {
    "municipality": "cankaya",
    "code": "YEEP-YUKLENEN",
    "title_tr": "Yüklenen plan",
    "period_start": "2025-01-01",
    "period_end": "2028-12-31",
}


def _send(client, content: bytes, name: str = "plan.csv", **form):
    return client.post(
        "/api/v1/plans/import", data={**FORM, **form}, files={"file": (name, content)}
    )


def _plans(db) -> int:
    return db.scalar(select(func.count()).select_from(EqualityPlan))


def test_a_planner_imports_the_template_as_a_draft(client, db, settings):
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    answer = _send(client, TEMPLATE.read_bytes())
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "plan": "YEEP-YUKLENEN",
        "state": "draft",
        "items": 6,
        "indicators": 4,
        "url": "/api/v1/plans/YEEP-YUKLENEN",
    }
    detail = client.get("/api/v1/plans/YEEP-YUKLENEN").json()
    assert detail["items"][0]["code"] == "6" and detail["items"][0]["progress"] == 20
    assert _send(client, TEMPLATE.read_bytes()).status_code == 409  # the code is taken


def test_a_bad_file_imports_nothing_and_names_its_rows(client, db, settings):
    login(client, make_user(db, settings, Role.planner, ["cankaya"]))
    rows = TEMPLATE.read_text(encoding="utf-8").splitlines()
    bad = [rows[0], rows[1], rows[2].replace(",objective,", ",goal,"), *rows[3:]]
    items = db.scalar(select(func.count()).select_from(PlanItem))
    answer = _send(client, ("\n".join(bad) + "\n").encode())
    assert answer.status_code == 422, answer.text
    assert "row 3: kind" in answer.text and "nothing was imported" in answer.text
    assert _plans(db) == 0 and db.scalar(select(func.count()).select_from(PlanItem)) == items
    for name, content, words in (
        ("plan.pdf", b"%PDF-1.4", ".xlsx or .csv"),
        ("plan.csv", b"", "empty"),
        ("plan.xlsx", b"not a workbook", "plan.xlsx"),
    ):
        refused = _send(client, content, name)
        assert refused.status_code == 422, (name, refused.text)
        assert words in refused.text
    assert _send(client, TEMPLATE.read_bytes(), period_end="2028-02-30").status_code == 422
    assert _plans(db) == 0


def test_only_the_municipality_s_equality_unit_may_import(client, db, settings):
    assert _send(client, TEMPLATE.read_bytes()).status_code == 401
    for outsider in (
        make_user(db, settings, Role.planner, ["yenimahalle"]),
        make_user(db, settings, Role.moderator, ["cankaya"]),
        make_user(db, settings, Role.monitor, ["cankaya"]),
    ):
        login(client, outsider)
        answer = _send(client, TEMPLATE.read_bytes())
        assert answer.status_code == 403, (outsider.role, answer.text)
        client.cookies.clear()
    assert _plans(db) == 0
