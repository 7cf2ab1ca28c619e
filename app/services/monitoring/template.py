"""The downloadable import template: the importer's own column list as XLSX and CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from app.services.monitoring.spreadsheet import INDICATOR_COLUMNS, ITEM_COLUMNS, REQUIRED

SAMPLE = Path(__file__).resolve().parents[3] / "data" / "monitoring" / "yeep_template.csv"
TEXT_COLUMNS = ("code", "parent_code", "indicator_code")  # so Excel keeps "1.10" as "1.10"


def template_columns() -> list[str]:
    """Every column the importer reads, item columns first (docs/monitoring.md)."""
    return [*ITEM_COLUMNS, *INDICATOR_COLUMNS]


def template_csv() -> bytes:
    """The header row as UTF-8 CSV with a BOM (Excel then reads Turkish letters right)."""
    out = io.StringIO()
    csv.writer(out).writerow(template_columns())
    return out.getvalue().encode("utf-8-sig")


def _sample_rows(columns: list[str]) -> list[list[str | None]]:
    with SAMPLE.open(encoding="utf-8") as handle:
        return [[row.get(c) or None for c in columns] for row in csv.DictReader(handle)]


def template_xlsx() -> bytes:
    """A workbook: an empty first sheet to fill (the importer reads that one) and the sample
    plan on a second sheet, both with the same columns."""
    columns = template_columns()
    book = Workbook()
    plan = book.active
    assert plan is not None
    plan.title = "Plan"
    example = book.create_sheet("Örnek - Example")
    for sheet in (plan, example):
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=cell.value in REQUIRED)
        sheet.freeze_panes = "A2"
    for row in _sample_rows(columns):
        example.append(row)
    for sheet in (plan, example):
        for index, name in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, len(name) + 2)
            if name in TEXT_COLUMNS:  # the whole column as text, without creating cells
                sheet.column_dimensions[letter].number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
