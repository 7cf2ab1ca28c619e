"""Importing a plan from a spreadsheet (CSV, XLSX): all rows or none, problems by row."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from app import localdb
from app.cli.main import app
from app.errors import ImportFailed
from app.models import EqualityPlan, MunicipalUnit, PlanIndicator, PlanItem
from app.services.monitoring import PlanHeader, import_plan_file
from app.services.monitoring.views import plan_detail

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "monitoring" / "yeep_template.csv"
HEADER = PlanHeader("YEEP-ORNEK", "Örnek plan", date(2025, 1, 1), date(2028, 12, 31))


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_the_template_imports(db, settings):
    plan, items, indicators = import_plan_file(db, TEMPLATE, "cankaya", HEADER)
    assert (items, indicators) == (6, 4)
    detail = plan_detail(db, settings, plan, None)
    assert plan.state.value == "draft"
    (theme,) = detail["items"]
    assert theme["code"] == "6" and theme["cemr_articles"] == [21, 22, 25, 26]
    target = theme["children"][0]["children"][0]
    assert target["mahalle"] == ["relation/6777209"]
    assert [c["code"] for c in target["children"]] == ["6.1.1.1", "6.1.1.2"]
    # 6.1.1 = (40·3 + 0·1) / 4 = 30; 6.1 = (30·2 + 0·1) / 3 = 20 (6.1.2: not started)
    assert target["progress"] == 30
    assert theme["progress"] == 20
    (g1,) = target["indicators"]
    assert g1["computed_code"] == "reports_per_1000_women"
    assert g1["computed_filters"] == {"groups": ["lighting"]}
    assert g1["target"] == {"value": 2.0, "period": 2028, "direction": "decrease", "limit": None}
    units = set(db.scalars(select(MunicipalUnit.code)))
    assert {"esitlik-birimi", "fen-isleri"} <= units


def test_xlsx_imports_the_same(db, settings, tmp_path):
    book = Workbook()
    sheet = book.active
    with TEMPLATE.open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append([_typed(v) for v in row])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    _, items, indicators = import_plan_file(db, path, "cankaya", HEADER)
    assert (items, indicators) == (6, 4)
    item = db.scalar(select(PlanItem).where(PlanItem.code == "6.1.1.1"))
    assert item.planned_start == date(2025, 3, 1) and item.budget_planned_try == 1500000


def _typed(value: str):
    if value == "":
        return None
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    try:
        return int(value) if value.isdigit() else value
    except ValueError:
        return value


def test_a_bad_file_imports_nothing_and_names_rows(db, tmp_path):
    rows = TEMPLATE.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    bad = [
        rows[0],
        rows[1],
        rows[2].replace(",objective,", ",goal,"),  # row 3: unknown kind
        rows[3].replace(",6.1,target,", ",9.9,target,"),  # row 4: no parent 9.9
        rows[4].replace(",in_progress,40,", ",in_progress,140,"),  # row 5: progress
        rows[5].replace(",0,2024,120,2026,", ",0,,120,2026,"),  # row 6: target, no baseline year
    ]
    assert header[0] == "code"
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    before = {m: _count(db, m) for m in (EqualityPlan, PlanItem, PlanIndicator, MunicipalUnit)}
    with pytest.raises(ImportFailed) as exc:
        import_plan_file(db, path, "cankaya", HEADER)
    details = "\n".join(exc.value.details)
    assert "row 3: kind" in details
    assert "row 4: parent_code" in details
    assert "row 5: progress" in details
    assert "nothing was imported" in exc.value.message
    assert before == {m: _count(db, m) for m in before}
    late = tmp_path / "late.csv"
    late.write_text("\n".join([*rows[:5], bad[5]]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="row 6: baseline_period"):
        import_plan_file(db, late, "cankaya", HEADER)
    assert before == {m: _count(db, m) for m in before}


def test_unknown_columns_and_types_are_refused(db, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("code,kind,title,colour\n1,theme,x,red\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as exc:
        import_plan_file(db, path, "cankaya", HEADER)
    assert "row 1: unknown column 'colour'" in exc.value.details
    assert "row 1: missing column 'title_tr'" in exc.value.details
    other = tmp_path / "plan.ods"
    other.write_bytes(b"PK")
    with pytest.raises(ImportFailed, match=r"\.xlsx or a \.csv"):
        import_plan_file(db, other, "cankaya", HEADER)


def test_the_command_imports_a_plan(database_url, tmp_path):
    from sqlalchemy import make_url

    url = localdb.recreate_database(database_url, make_url(database_url).database + "_plan_cli")
    env = {"DATABASE_URL": url}
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"], env=env).exit_code == 0
    made = runner.invoke(
        app,
        ["municipality", "create", "cankaya", "--name", "Çankaya", "--kind", "district"],
        env=env,
    )
    assert made.exit_code == 0, made.output
    # The template without its mahalle (this database has none).
    path = tmp_path / "yeep.csv"
    shutil.copy(TEMPLATE, path)
    path.write_text(path.read_text(encoding="utf-8").replace("relation/6777209", ""), "utf-8")
    args = ["plan", "import", str(path), "--municipality", "cankaya", "--code", "YEEP-CLI"]
    result = runner.invoke(app, [*args, "--start", "2025", "--end", "2028"], env=env)
    assert result.exit_code == 0, result.output
    assert "6 item(s), 4 indicator(s)" in result.output
    again = runner.invoke(app, args, env=env)
    assert again.exit_code == 1 and "exists already" in again.output
