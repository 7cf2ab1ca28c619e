"""Import an existing plan from a spreadsheet (XLSX or CSV): one row per item.

The template is in docs/monitoring.md (sample: data/monitoring/yeep_template.csv). Every
row is checked first and every problem listed with its row number; a file with any problem
imports nothing (the caller's transaction rolls back whatever the services wrote, too).
Missing municipal units named in the file are created with their code as name.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import DomainError, ImportFailed, InvalidInput
from app.models import EqualityPlan, MunicipalUnit, Role, User
from app.schemas.monitoring import IndicatorCreate, ItemCreate, PlanCreate, UnitCreate
from app.services.monitoring import indicators, plans, units
from app.services.monitoring.rules import KIND_RANK, check_progress
from app.services.reference import municipality_by_code

ITEM_COLUMNS = {
    "code": "code",
    "parent_code": "parent",
    "kind": "kind",
    "title_tr": "title_tr",
    "title_en": "title_en",
    "description": "description",
    "theme_key": "theme_key",
    "responsible_unit": "responsible_unit",
    "partner_units": "partner_units",
    "partner_orgs": "partner_orgs",
    "planned_start": "planned_start",
    "planned_end": "planned_end",
    "budget_planned_try": "budget_planned_try",
    "budget_spent_try": "budget_spent_try",
    "budget_line_code": "budget_line_code",
    "budget_year": "budget_year",
    "risks": "risks",
    "findings": "findings",
    "needs": "needs",
    "weight": "weight",
    "status": "status",
    "progress": "progress",
    "mahalle": "mahalle",
    "report_category_groups": "report_category_groups",
    "cemr_articles": "cemr_articles",
    "sdg_targets": "sdg_targets",
}
INDICATOR_COLUMNS = {
    "indicator_code": "code",
    "indicator_name_tr": "name_tr",
    "indicator_name_en": "name_en",
    "indicator_unit": "unit",
    "indicator_level": "level",
    "indicator_source": "source",
    "indicator_computed_code": "computed_code",
    "indicator_groups": "computed_groups",
    "indicator_owner_unit": "data_owner_unit",
    "baseline_value": "baseline_value",
    "baseline_period": "baseline_period",
    "baseline_source": "baseline_source",
    "target_value": "target_value",
    "target_period": "target_period",
    "direction": "direction",
}
LISTS = frozenset(
    {
        "partner_units",
        "partner_orgs",
        "mahalle",
        "report_category_groups",
        "cemr_articles",
        "sdg_targets",
        "computed_groups",
    }
)
REQUIRED = ("code", "kind", "title_tr")
MAX_ROWS = 5000
# The command line acts as the server's operator: a platform administrator without an
# account (audit events carry no actor).
OPERATOR = User(email="command-line", role=Role.admin, active=True)


@dataclass(frozen=True)
class PlanHeader:
    code: str
    title_tr: str
    period_start: date
    period_end: date
    title_en: str | None = None
    is_example: bool = False


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it (the header is row 1)
    item: ItemCreate
    indicator: IndicatorCreate | None


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _rows_of(path: Path) -> Iterator[list[Any]]:
    if path.suffix.lower() == ".xlsx":
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ImportFailed(f"{path.name} is not a readable XLSX file ({exc}).") from exc
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(v) for v in values]
        finally:
            book.close()
        return
    if path.suffix.lower() != ".csv":
        raise ImportFailed(f"{path.name}: the plan is imported from an .xlsx or a .csv file.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path.name} is not UTF-8 text (save the CSV as UTF-8).") from exc
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    for values in csv.reader(io.StringIO(text), dialect):
        yield [_cell(v) for v in values]


def _split(value: Any) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _problems(number: int, exc: ValidationError, columns: dict[str, str]) -> list[str]:
    back = {v: k for k, v in columns.items()}
    found = []
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "row"
        found.append(f"row {number}: {back.get(name, name)}: {err['msg']}")
    return found


def read_rows(path: Path) -> list[Row]:
    """The file's rows as validated requests, or ImportFailed listing every problem."""
    rows = _rows_of(path)
    header = next(rows, None)
    if header is None:
        raise ImportFailed(f"{path.name} is empty.")
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    known = ITEM_COLUMNS.keys() | INDICATOR_COLUMNS.keys()
    unknown = [n for n in names if n and n not in known]
    missing = [c for c in REQUIRED if c not in names]
    if unknown or missing:
        details = [f"row 1: unknown column {n!r}" for n in unknown]
        details += [f"row 1: missing column {c!r}" for c in missing]
        raise ImportFailed(
            f"{path.name}: the header does not follow the template.", details=details
        )
    problems: list[str] = []
    parsed: list[Row] = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise ImportFailed(f"{path.name} has more than {MAX_ROWS} rows.")
        record = {n: v for n, v in zip(names, values, strict=False) if n and v is not None}
        if not record:
            continue
        item_fields = {
            ITEM_COLUMNS[k]: _split(v) if ITEM_COLUMNS[k] in LISTS else v
            for k, v in record.items()
            if k in ITEM_COLUMNS
        }
        indicator_fields = {
            INDICATOR_COLUMNS[k]: _split(v) if INDICATOR_COLUMNS[k] in LISTS else v
            for k, v in record.items()
            if k in INDICATOR_COLUMNS
        }
        for key in ("code", "parent", "responsible_unit", "title_tr", "title_en"):
            if key in item_fields and item_fields[key] is not None:
                item_fields[key] = str(item_fields[key])
        try:
            item = ItemCreate(**item_fields)
        except ValidationError as exc:
            problems += _problems(number, exc, ITEM_COLUMNS)
            continue
        try:
            check_progress(item.progress)
        except InvalidInput as exc:
            problems.append(f"row {number}: progress: {exc.message}")
        indicator = None
        if indicator_fields:
            indicator_fields["item"] = item.code
            if "code" in indicator_fields:
                indicator_fields["code"] = str(indicator_fields["code"])
            try:
                indicator = IndicatorCreate(**indicator_fields)
            except ValidationError as exc:
                problems += _problems(number, exc, INDICATOR_COLUMNS)
                continue
        parsed.append(Row(number, item, indicator))
    problems += _check_tree(parsed)
    if problems:
        raise ImportFailed(
            f"{path.name} has {len(problems)} problem(s); nothing was imported.", details=problems
        )
    return parsed


def _check_tree(rows: list[Row]) -> list[str]:
    problems = []
    first: dict[str, int] = {}
    indicators: dict[str, int] = {}
    for row in rows:
        if row.item.code in first:
            problems.append(
                f"row {row.number}: code: {row.item.code!r} is also on row {first[row.item.code]}"
            )
        first.setdefault(row.item.code, row.number)
        if row.indicator is not None:
            if row.indicator.code in indicators:
                problems.append(
                    f"row {row.number}: indicator_code: {row.indicator.code!r} is also on row "
                    f"{indicators[row.indicator.code]}"
                )
            indicators.setdefault(row.indicator.code, row.number)
    kinds = {r.item.code: r.item.kind for r in rows}
    parents = {r.item.code: r.item.parent for r in rows}
    for row in rows:
        parent = row.item.parent
        if parent is None:
            continue
        if parent not in kinds:
            problems.append(f"row {row.number}: parent_code: no item {parent!r} in the file")
        elif KIND_RANK[kinds[parent]] >= KIND_RANK[row.item.kind]:
            problems.append(
                f"row {row.number}: parent_code: a {row.item.kind.value} cannot sit under a "
                f"{kinds[parent].value} ({parent})"
            )
        seen = {row.item.code}
        node: str | None = parent
        while node is not None and node in parents:
            if node in seen:
                problems.append(f"row {row.number}: parent_code: the tree has a cycle at {node!r}")
                break
            seen.add(node)
            node = parents[node]
    return problems


def _ordered(rows: list[Row]) -> list[Row]:
    """Parents before their children."""
    by_code = {r.item.code: r for r in rows}

    def depth(row: Row) -> int:
        d = 0
        node: str | None = row.item.parent
        while node is not None:
            d, node = d + 1, by_code[node].item.parent
        return d

    return sorted(rows, key=lambda r: (depth(r), r.number))


def import_plan_file(
    session: Session,
    path: Path,
    municipality_code: str,
    header: PlanHeader,
    actor: User | None = None,
) -> tuple[EqualityPlan, int, int]:
    """Create the plan (a draft) with every item and indicator of the file; all or nothing.

    Returns (plan, items, indicators)."""
    rows = read_rows(path)
    # A savepoint: a refusal half-way leaves nothing, whatever the caller does next.
    with session.begin_nested():
        return _import(session, path, rows, municipality_code, header, actor or OPERATOR)


def _import(
    session: Session,
    path: Path,
    rows: list[Row],
    municipality_code: str,
    header: PlanHeader,
    user: User,
) -> tuple[EqualityPlan, int, int]:
    municipality = municipality_by_code(session, municipality_code, field="municipality")
    unit_codes = {
        code
        for row in rows
        for code in (
            row.item.responsible_unit,
            *(row.item.partner_units or []),
            row.indicator.data_owner_unit if row.indicator else None,
        )
        if code
    }
    existing = set(
        session.scalars(
            select(MunicipalUnit.code).where(MunicipalUnit.municipality_id == municipality.id)
        )
    )
    for code in sorted(unit_codes - existing):
        units.create_unit(
            session, user, UnitCreate(municipality=municipality.code, code=code, name=code)
        )
    plan = plans.create_plan(
        session,
        user,
        PlanCreate(
            municipality=municipality.code,
            code=header.code,
            title_tr=header.title_tr,
            title_en=header.title_en,
            period_start=header.period_start,
            period_end=header.period_end,
            is_example=header.is_example,
        ),
    )
    count = 0
    for row in _ordered(rows):
        try:
            plans.create_item(session, user, plan, row.item)
            if row.indicator is not None:
                indicators.create_indicator(session, user, plan, row.indicator)
                count += 1
        except DomainError as exc:
            where = exc.field or "row"
            raise ImportFailed(
                f"{path.name}: row {row.number}: {where}: {exc.message} Nothing was imported.",
                details=[f"row {row.number}: {where}: {exc.message}"],
            ) from exc
    return plan, len(rows), count


MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".csv")


def import_uploaded_plan(
    session: Session,
    user: User,
    filename: str,
    data: bytes,
    municipality_code: str,
    header: PlanHeader,
) -> tuple[EqualityPlan, int, int]:
    """`import_plan_file` for a file sent over HTTP (XLSX or CSV, at most 5 MB)."""
    name = Path(filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InvalidInput(
            "Send the plan as an .xlsx or .csv file (see the template).", field="file"
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput("The file is larger than 5 MB.", field="file")
    if not data:
        raise InvalidInput("The file is empty.", field="file")
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).stem)[:80]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{safe or 'plan'}{suffix}"
        path.write_bytes(data)
        return import_plan_file(session, path, municipality_code, header, actor=user)
