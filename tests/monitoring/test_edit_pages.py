"""The equality unit's pages: her plans on /plans, the import page and its templates, and the
plan section of the work page; every other role and municipality refused."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.models import Role
from app.services.monitoring.template import template_columns
from app.services.planning import INDICATORS
from tests.monitoring.support import build_plan
from tests.support.factories import login, make_user

NEW_PAGES = ("/plans/import", "/plans/import/template.xlsx", "/plans/import/template.csv")


def _as(client, user):
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    if user is not None:
        login(client, user)


def test_a_planner_sees_her_drafts_with_their_work_pages(client, db, settings):
    world = build_plan(db, settings, state="draft")
    _as(client, world.planner)
    page = client.get("/plans")
    assert page.status_code == 200
    assert "Belediyenizin planları" in page.text and 'href="/plans/import"' in page.text
    assert 'href="/plans/YEEP-TEST/work"' in page.text and "Taslak" in page.text
    admin = world.admin
    _as(client, admin)
    assert 'href="/plans/YEEP-TEST/work"' in client.get("/plans").text
    for outsider in (None, make_user(db, settings, Role.moderator, ["cankaya"])):
        _as(client, outsider)
        text = client.get("/plans").text
        assert "YEEP-TEST" not in text, outsider  # a draft is not public
        assert 'href="/plans/import"' not in text
    _as(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    text = client.get("/plans").text  # another municipality's equality unit: her own only
    assert "YEEP-TEST" not in text and "Belediyenizin henüz planı yok." in text
    _as(client, world.monitor)  # the board sees drafts (§3.3) but edits nothing
    text = client.get("/plans").text
    assert 'href="/plans/import"' not in text and "/plans/YEEP-TEST/work" not in text


def test_the_public_list_is_unchanged_for_a_plan_in_force(client, db, settings):
    build_plan(db, settings)
    _as(client, None)
    text = client.get("/plans").text
    assert 'href="/plans/YEEP-TEST"' in text and "Belediyenizin planları" not in text


@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_refuse_everyone_but_the_equality_unit(client, db, settings, path):
    _as(client, None)
    anonymous = client.get(path, follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next={path}"
    for role in (Role.moderator, Role.monitor, Role.unit_reporter):
        _as(client, make_user(db, settings, role, ["cankaya"]))
        assert client.get(path, follow_redirects=False).status_code == 403, role
    for user in (
        make_user(db, settings, Role.planner, ["cankaya"]),
        make_user(db, settings, Role.admin),
    ):
        _as(client, user)
        assert client.get(path).status_code == 200, user.role


def test_the_import_form_offers_only_her_municipalities(client, db, settings):
    _as(client, make_user(db, settings, Role.planner, ["yenimahalle"]))
    text = client.get("/plans/import").text
    assert '<option value="yenimahalle">' in text and 'value="cankaya"' not in text
    assert 'href="/plans/import/template.xlsx"' in text and 'name="file"' in text


def test_the_templates_carry_the_importer_s_columns_and_import(client, db, settings):
    _as(client, make_user(db, settings, Role.planner, ["cankaya"]))
    answer = client.get("/plans/import/template.xlsx")
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    plan, example = book.worksheets
    header = [c.value for c in plan[1]]
    assert header == template_columns() == [c.value for c in example[1]]
    assert {"code", "parent_code", "kind", "title_tr", "indicator_computed_code"} <= set(header)
    sample = [[c.value for c in row] for row in example.iter_rows(min_row=2)]
    assert len(sample) == 6 and sample[0][:3] == ["6", None, "theme"]
    csv_answer = client.get("/plans/import/template.csv")
    assert next(csv.reader(io.StringIO(csv_answer.content.decode("utf-8-sig")))) == header
    # The template filled with its own sample (on the sheet the importer reads) imports.
    for row in sample:
        plan.append(row)
    book.remove(example)
    filled = io.BytesIO()
    book.save(filled)
    imported = client.post(
        "/api/v1/plans/import",
        data={
            "municipality": "cankaya",
            "code": "YEEP-SABLON",
            "title_tr": "Şablondan plan",
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
        },
        files={"file": ("plan.xlsx", filled.getvalue())},
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["items"] == 6 and imported.json()["indicators"] == 4


def test_the_work_page_s_plan_section_is_the_equality_unit_s(client, db, settings):
    world = build_plan(db, settings, state="draft")
    _as(client, world.planner)
    text = client.get("/plans/YEEP-TEST/work").text
    assert 'class="work-section js-plan-section"' in text
    assert 'data-state="consultation"' in text and 'data-state="approved"' in text
    assert 'data-state="in_force"' not in text  # not allowed from a draft
    assert 'value="kadin" selected' in text  # the coordinating unit
    assert f'<option value="{world.mahalle_code}">' in text
    assert '<option value="1.1.T">1.1.T — Aydınlatma bildirimleri azalır</option>' in text
    numeric = [d.code for d in INDICATORS if d.kind != "class"]
    assert f'value="{numeric[0]}"' in text and 'value="hotspot_class"' not in text
    assert 'value="reports_per_1000_women"' in text
    for user in (world.monitor, world.reporter):
        _as(client, user)
        page = client.get("/plans/YEEP-TEST/work")
        assert page.status_code == 200 and "js-plan-section" not in page.text, user.role
    for outsider in (
        make_user(db, settings, Role.planner, ["yenimahalle"]),
        make_user(db, settings, Role.moderator, ["cankaya"]),
    ):
        _as(client, outsider)
        assert client.get("/plans/YEEP-TEST/work").status_code == 404, outsider.role


def test_only_her_municipality_s_mahalle_are_offered(client, db, settings):
    from sqlalchemy import select

    from app.models import Mahalle, Municipality

    world = build_plan(db, settings, state="draft")
    yenimahalle = db.scalar(select(Municipality.id).where(Municipality.code == "yenimahalle"))
    other = db.scalar(select(Mahalle.code).where(Mahalle.municipality_id == yenimahalle).limit(1))
    assert other is not None
    _as(client, world.planner)
    text = client.get("/plans/YEEP-TEST/work").text
    assert f'<option value="{other}">' not in text


def test_a_plan_code_that_is_a_page_s_path_is_refused(client, db, settings):
    _as(client, make_user(db, settings, Role.planner, ["cankaya"]))
    for code in ("import", "Compare", "targets"):
        answer = client.post(
            "/api/v1/plans",
            json={
                "municipality": "cankaya",
                "code": code,
                "title_tr": "Plan",
                "period_start": "2025-01-01",
                "period_end": "2028-12-31",
            },
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["fields"][0]["field"] == "code"
