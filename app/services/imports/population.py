"""Residents per mahalle from CSV; women residents given, or estimated from a district share.

TÜİK publishes residents by sex only down to district level. Where a file has no women
column, women residents are estimated as total × the district's female share and flagged
(`Mahalle.women_is_estimate`), so every rate built on them can be labelled an estimate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Mahalle
from app.services.imports.names import name_key
from app.services.imports.reading import CsvTable, expire_loaded, raise_if_problems, read_csv

# "12.345", "12,345" or "12 345": thousands separators as Turkish and English files write them.
_GROUPED_INT = re.compile(r"\d{1,3}([.,\s]\d{3})+")
_MAX_INTEGER = 2_147_483_647  # PostgreSQL `integer`, the type of the population columns
# Accepted range of each number: anything else is a typo or a column mix-up.
_RANGES = {"total": (0, _MAX_INTEGER), "women": (0, _MAX_INTEGER), "year": (1900, 2100)}


@dataclass(frozen=True)
class PopulationColumns:
    """CSV column names (defaults: the TÜİK mahalle file of the demo).

    Rows match mahalle by `code` when it is set, otherwise by Turkish-aware name within the
    row's district and province (when those columns exist).
    """

    code: str | None = None
    name: str | None = "mahalle_name"
    district: str | None = "ilce"
    province: str | None = "il"
    total: str = "pop_total"
    women: str | None = None
    year: str | None = "year"


@dataclass
class PopulationImport:
    """What a population import did."""

    source: str
    rows: int
    matched: int
    with_total: int
    women_given: int
    women_estimated: int
    unmatched_rows: list[str]
    mahalle_without_row: list[str]
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A summary a person reads in the terminal."""
        lines = [
            f"{self.source}: {self.rows} rows, {self.matched} matched a mahalle, "
            f"{self.with_total} with a population total.",
            f"Women residents: {self.women_given} given, {self.women_estimated} estimated "
            "from the district female share (flagged as estimates).",
        ]
        lines += [f"warning: {w}" for w in self.warnings]
        lines += [f"warning: {u}" for u in self.unmatched_rows]
        lines += [f"warning: {m}" for m in self.mahalle_without_row]
        return lines


def _readable(number: int) -> str:
    """A bound as a person reads it: 2,147,483,647, but a year as 2100."""
    return f"{number:,}" if number >= 10_000 else str(number)


def _whole_number(value: str) -> int | None:
    """Parse a count; None when it is not a whole number."""
    value = value.strip()
    if _GROUPED_INT.fullmatch(value):
        value = re.sub(r"[.,\s]", "", value)
    try:
        number = float(value) if "." in value else int(value)
    except ValueError:
        return None
    if isinstance(number, float) and not number.is_integer():
        return None
    return int(number)


def read_district_shares(path: Path | str) -> dict[tuple[str, str], float]:
    """Female share per (province, district) name key, from the TÜİK district CSV."""
    table = read_csv(path)
    province = table.column("il")
    district = table.column("ilce_upper") or table.column("ilce")
    share_column = table.column("female_share")
    if province is None or district is None or share_column is None:
        raise_if_problems(
            ["needs the columns il, ilce_upper (or ilce) and female_share; the file has: "
             + ", ".join(table.header)],
            table.path,
        )  # fmt: skip
        return {}
    problems: list[str] = []
    shares: dict[tuple[str, str], float] = {}
    for line, row in table.rows:
        try:
            share = float(row[share_column].replace(",", "."))
        except ValueError:
            problems.append(f"line {line}: female_share '{row[share_column]}' is not a number")
            continue
        if not 0 < share < 1:
            problems.append(f"line {line}: female_share {share} is not between 0 and 1")
            continue
        shares[(name_key(row[province]), name_key(row[district]))] = share
    raise_if_problems(problems, table.path)
    return shares


@dataclass(frozen=True)
class _Mahalle:
    id: int
    code: str
    name: str
    district: str
    province: str

    @property
    def district_key(self) -> tuple[str, str]:
        return name_key(self.province), name_key(self.district)


@dataclass(frozen=True)
class _Figures:
    """One CSV row, parsed: the figures to store on its mahalle."""

    line: int
    described: str
    total: int | None
    women: int | None
    year: int | None


def _resolve_columns(
    table: CsvTable, wanted: PopulationColumns, warnings: list[str]
) -> dict[str, str | None]:
    """Map the wanted columns to the header; a missing required one fails the import."""
    found = {role: table.column(getattr(wanted, role)) for role in wanted.__dataclass_fields__}
    problems = []
    if found["total"] is None:
        problems.append(f"no column '{wanted.total}' for the total (--total-column)")
    if wanted.code is not None and found["code"] is None:
        problems.append(f"no column '{wanted.code}' for the code (--code-column)")
    if wanted.code is None and found["name"] is None:
        problems.append(f"no column '{wanted.name}' for the mahalle name (--name-column)")
    if wanted.women is not None and found["women"] is None:
        problems.append(f"no column '{wanted.women}' for women residents (--women-column)")
    if problems:
        problems.append("columns in the file: " + ", ".join(table.header))
        raise_if_problems(problems, table.path)
    if wanted.code is None:
        for role in ("district", "province"):
            if found[role] is None:
                warnings.append(
                    f"no {role} column '{getattr(wanted, role)}': names are matched "
                    f"across every {role}"
                )
    if found["year"] is None:
        warnings.append("no year column: the population year is left empty")
    return found


def _parse_row(
    line: int, row: dict[str, str], col: dict[str, str | None], problems: list[str]
) -> _Figures:
    """Parse the numbers of one row; bad values become problems naming the line."""

    def cell(role: str) -> str:
        column = col[role]
        return row.get(column, "") if column else ""

    where = ", ".join(v for v in (cell("district"), cell("province")) if v)
    label = cell("code") or cell("name")
    described = f"line {line} ('{label}'{', ' + where if where else ''})"
    numbers: dict[str, int | None] = {}
    for role, (low, high) in _RANGES.items():
        value = cell(role)
        number = _whole_number(value) if value else None
        if value and number is None:
            problems.append(f"{described}: {role} '{value}' is not a whole number")
        elif number is not None and not low <= number <= high:
            problems.append(
                f"{described}: {role} '{value}' is out of range "
                f"({_readable(low)} to {_readable(high)})"
            )
            number = None
        numbers[role] = number
    total, women, year = numbers["total"], numbers["women"], numbers["year"]
    if total is not None and women is not None and total < women:
        problems.append(f"{described}: women ({women}) exceed the total ({total})")
    return _Figures(line=line, described=described, total=total, women=women, year=year)


class _Index:
    """Imported mahalle by code and by name key, for matching rows."""

    def __init__(self, known: list[_Mahalle]) -> None:
        self.by_code = {m.code: m for m in known}
        self.by_name: dict[str, list[_Mahalle]] = {}
        for m in known:
            self.by_name.setdefault(name_key(m.name), []).append(m)

    def candidates(self, row: dict[str, str], col: dict[str, str | None]) -> list[_Mahalle]:
        """Mahalle a row may be: by code, or by name key within its district and province."""
        code_column = col["code"]
        if code_column is not None:
            found = self.by_code.get(row.get(code_column, ""))
            return [found] if found else []
        candidates = self.by_name.get(name_key(row.get(col["name"] or "", "")), [])
        for role in ("district", "province"):
            column = col[role]
            value = row.get(column, "") if column else ""
            if value:
                key = name_key(value)
                candidates = [m for m in candidates if name_key(getattr(m, role)) == key]
        return candidates


def import_population(
    session: Session,
    path: Path | str,
    *,
    columns: PopulationColumns | None = None,
    district_shares: Path | str | None = None,
) -> PopulationImport:
    """Set population (and women residents, given or estimated) on the matching mahalle."""
    table = read_csv(path)
    warnings: list[str] = []
    col = _resolve_columns(table, columns or PopulationColumns(), warnings)
    shares = read_district_shares(district_shares) if district_shares else None
    if shares is None and col["women"] is None:
        warnings.append("no women column and no district shares: women residents left empty")
    known = [
        _Mahalle(*row)
        for row in session.execute(
            select(
                Mahalle.id, Mahalle.code, Mahalle.name, Mahalle.district, Mahalle.province
            ).order_by(Mahalle.id)
        )
    ]

    index = _Index(known)
    problems: list[str] = []
    unmatched: list[str] = []
    matched: dict[int, tuple[_Mahalle, _Figures]] = {}
    for line, row in table.rows:
        figures = _parse_row(line, row, col, problems)
        candidates = index.candidates(row, col)
        if not candidates:
            unmatched.append(f"{figures.described} matches no imported mahalle")
        elif len(candidates) > 1:
            places = "; ".join(f"{m.name} ({m.district})" for m in candidates)
            problems.append(f"{figures.described} fits several mahalle ({places}); add a district")
        elif candidates[0].id in matched:
            earlier = matched[candidates[0].id][1].line
            problems.append(f"{figures.described}: same mahalle as line {earlier}")
        else:
            matched[candidates[0].id] = (candidates[0], figures)
    raise_if_problems(problems, table.path)

    rows = []
    women_given = women_estimated = 0
    for mahalle, figures in matched.values():
        women, estimate = figures.women, False
        if figures.total is None:
            warnings.append(f"{figures.described}: no total; population left empty")
            women = None
        elif women is not None:
            women_given += 1
        elif shares is not None:
            share = shares.get(mahalle.district_key)
            if share is None:
                warnings.append(
                    f"{figures.described}: no female share for {mahalle.district}, "
                    f"{mahalle.province}; women residents left empty"
                )
            else:
                women, estimate = round(figures.total * share), True
                women_estimated += 1
        rows.append(
            {
                "id": mahalle.id,
                "population_total": figures.total,
                "women_residents": women,
                "women_is_estimate": estimate,
                "population_year": figures.year,
            }
        )
    if rows:
        session.execute(update(Mahalle), rows)
        expire_loaded(session, Mahalle)

    covered = {m.district_key for m, _ in matched.values()}
    without_row = [
        f"mahalle '{m.name}' ({m.district}) has no row in the file"
        for m in known
        if m.id not in matched and m.district_key in covered
    ]
    return PopulationImport(
        source=table.path.name,
        rows=len(table.rows),
        matched=len(matched),
        with_total=sum(1 for _, f in matched.values() if f.total is not None),
        women_given=women_given,
        women_estimated=women_estimated,
        unmatched_rows=unmatched,
        mahalle_without_row=without_row,
        warnings=warnings,
    )
