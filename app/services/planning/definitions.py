"""Indicator definitions: the one source of the API, the exports and docs/indicators.md.

The catalogue is data, in `indicators.toml` beside this module (its header explains the
fields); it is loaded and validated once, at import, so a malformed catalogue stops the app
from starting with a message naming the entry and the problem. Each indicator has a stable
`code` (the column name in every output), a name in Turkish and English, a definition, a
formula, a unit, whether it may rest on an estimated population (`estimate`), caveats, and the
YEEP theme it serves. `rests_on` names the counts a value is derived from: when any of them is
suppressed (1..k-1), the value is suppressed too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic import dataclasses as pydantic_dataclasses

from app.models import AgeBand, AuditParameter, CategoryGroup, Gender

CATALOGUE_FILE = Path(__file__).with_name("indicators.toml")


class CatalogueError(ValueError):
    """The indicator catalogue is malformed; the message names where and what."""


@pydantic_dataclasses.dataclass(frozen=True, config=ConfigDict(extra="forbid", strict=True))
class Indicator:
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]  # a column in every export
    name_tr: str
    name_en: str
    definition: str
    formula: str
    unit: str
    theme: str
    estimate: bool = False
    caveats: str = ""
    rests_on: tuple[str, ...] = Field(default=(), strict=False)  # TOML gives a list
    kind: Literal["count", "value", "class"] = "value"  # "count": a cell subject to suppression

    def as_dict(self) -> dict:
        """The definition as plain data, with the names of its theme and unit."""
        data = asdict(self)
        data["name"] = {"tr": data.pop("name_tr"), "en": data.pop("name_en")}
        data["rests_on"] = list(self.rests_on)
        data["theme_name"] = THEMES[self.theme]
        data["unit_name"] = {"tr": UNIT_TR[self.unit], "en": self.unit}
        return data


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Names(_Strict):
    tr: str
    en: str


class _Group(_Names):
    theme: str


class _Family(_Strict):
    each: Literal["category_groups", "genders", "age_bands", "service_kinds", "audit_parameters"]
    template: list[dict[str, Any]] = Field(min_length=1)


class _Docs(_Strict):
    method_notes: list[str]


class _Raw(_Strict):
    """The catalogue file's shape; indicators are checked one by one, to name them."""

    themes: dict[str, _Names] = Field(min_length=1)
    units: dict[str, str] = Field(min_length=1)
    phrases: dict[str, str]
    category_groups: dict[str, _Group]
    genders: dict[str, _Names]
    age_bands: dict[str, _Names]
    service_kinds: dict[str, _Names]
    audit_parameters: dict[str, _Names]
    indicator: list[dict[str, Any]] = Field(min_length=1)
    docs: _Docs


# The vocabularies that must name every member of an enum, in the enum's order.
_ENUM_VOCABULARIES: dict[str, type[StrEnum]] = {
    "category_groups": CategoryGroup,
    "genders": Gender,
    "age_bands": AgeBand,
    "audit_parameters": AuditParameter,
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue: indicators in order, and the vocabularies they use."""

    indicators: tuple[Indicator, ...]
    themes: dict[str, dict[str, str]]
    units: dict[str, str]
    phrases: dict[str, str]
    group_theme: dict[CategoryGroup, str]
    group_names: dict[CategoryGroup, tuple[str, str]]
    gender_names: dict[Gender, tuple[str, str]]
    age_names: dict[AgeBand, tuple[str, str]]
    method_notes: tuple[str, ...]


def _problems(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'entry'}: {error['msg']}"
        for error in exc.errors()
    )


def _fill(value: Any, names: Mapping[str, str], where: str) -> Any:
    """Replace {name} placeholders in a text (or a list of texts); other values unchanged."""
    if isinstance(value, list):
        return [_fill(item, names, where) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            known = ", ".join(f"{{{name}}}" for name in names)
            raise CatalogueError(f"{where}: unknown placeholder {match.group(0)} (known: {known})")
        return names[match.group(1)]

    return _PLACEHOLDER.sub(one, value)


def _indicator(raw: dict[str, Any], names: Mapping[str, str], where: str) -> Indicator:
    filled = {key: _fill(value, names, where) for key, value in raw.items()}
    try:
        return Indicator(**filled)
    except ValidationError as exc:
        raise CatalogueError(f"{where}: {_problems(exc)}") from None


def _members(raw: _Raw, vocabulary: str) -> list[tuple[str, dict[str, str]]]:
    """(key, fields) of a vocabulary's members: in the enum's order when it has one."""
    given: dict[str, _Names] = getattr(raw, vocabulary)
    enum = _ENUM_VOCABULARIES.get(vocabulary)
    keys = [member.value for member in enum] if enum else list(given)
    return [(key, given[key].model_dump()) for key in keys]


def _expand(raw: _Raw, source: str) -> Iterator[Indicator]:
    """Every indicator in the file's order, each family repeated over its vocabulary."""
    for position, entry in enumerate(raw.indicator, 1):
        where = f"{source}: indicator #{position}"
        if "each" not in entry:
            yield _indicator(entry, raw.phrases, f"{where} ({entry.get('code', 'no code')})")
            continue
        try:
            family = _Family.model_validate(entry)
        except ValidationError as exc:
            raise CatalogueError(f"{where} (a family): {_problems(exc)}") from None
        for value, member in _members(raw, family.each):
            names = {**raw.phrases, "value": value, **member}
            for template in family.template:
                code = _fill(template.get("code", "no code"), names, where)
                yield _indicator(template, names, f"{where} ({family.each}: {code})")


def _check_vocabularies(raw: _Raw, source: str) -> None:
    for vocabulary, enum in _ENUM_VOCABULARIES.items():
        given, expected = set(getattr(raw, vocabulary)), {member.value for member in enum}
        if given != expected:
            raise CatalogueError(
                f"{source}: [{vocabulary}] must name every {enum.__name__} exactly; "
                f"missing: {sorted(expected - given) or 'none'}, "
                f"unknown: {sorted(given - expected) or 'none'}"
            )
    for key, group in raw.category_groups.items():
        if group.theme not in raw.themes:
            raise CatalogueError(
                f"{source}: [category_groups] {key}: unknown theme {group.theme!r}"
            )


def _check_indicators(items: list[Indicator], raw: _Raw, source: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            raise CatalogueError(f"{source}: duplicate indicator code {item.code!r}")
        seen.add(item.code)
    counts = {item.code for item in items if item.kind == "count"}
    for item in items:
        where = f"{source}: indicator {item.code!r}"
        if item.theme not in raw.themes:
            raise CatalogueError(f"{where}: unknown theme {item.theme!r} (not in [themes])")
        if item.unit not in raw.units:
            raise CatalogueError(f"{where}: unknown unit {item.unit!r} (not in [units])")
        for code in item.rests_on:
            if code not in counts:
                raise CatalogueError(
                    f"{where}: rests_on names {code!r}, which is not a count indicator"
                )


def parse_catalogue(data: dict[str, Any], source: str = "indicator catalogue") -> Catalogue:
    """Validate the catalogue's data (as read from TOML); CatalogueError names any problem."""
    try:
        raw = _Raw.model_validate(data)
    except ValidationError as exc:
        raise CatalogueError(f"{source}: {_problems(exc)}") from None
    _check_vocabularies(raw, source)
    items = list(_expand(raw, source))
    _check_indicators(items, raw, source)
    groups = _members(raw, "category_groups")
    return Catalogue(
        indicators=tuple(items),
        themes={key: names.model_dump() for key, names in raw.themes.items()},
        units=dict(raw.units),
        phrases=dict(raw.phrases),
        group_theme={CategoryGroup(k): m["theme"] for k, m in groups},
        group_names={CategoryGroup(k): (m["tr"], m["en"]) for k, m in groups},
        gender_names={Gender(k): (m["tr"], m["en"]) for k, m in _members(raw, "genders")},
        age_names={AgeBand(k): (m["tr"], m["en"]) for k, m in _members(raw, "age_bands")},
        method_notes=tuple(raw.docs.method_notes),
    )


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and validate a catalogue file; CatalogueError names the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML: {exc}") from None
    return parse_catalogue(data, str(path))


_CATALOGUE = load_catalogue()
INDICATORS: tuple[Indicator, ...] = _CATALOGUE.indicators
BY_CODE = {item.code: item for item in INDICATORS}
COUNT_CODES = tuple(item.code for item in INDICATORS if item.kind == "count")
THEMES = _CATALOGUE.themes
# Units are data too: English in the definitions, Turkish for the dashboard and docs.
UNIT_TR = _CATALOGUE.units
GROUP_THEME = _CATALOGUE.group_theme
GROUP_NAMES = _CATALOGUE.group_names
GENDER_NAMES = _CATALOGUE.gender_names
AGE_NAMES = _CATALOGUE.age_names
PERIOD_NOTE = _CATALOGUE.phrases["period_note"]
SMALL_CELL = _CATALOGUE.phrases["small_cell"]
METHOD_NOTES = ["## Method notes", "", *_CATALOGUE.method_notes]


def definitions() -> list[dict]:
    """Every indicator definition as plain data (API, exports, docs)."""
    return [item.as_dict() for item in INDICATORS]


def themes() -> dict[str, dict[str, str]]:
    return THEMES


def markdown() -> str:
    """docs/indicators.md, generated from the same data (a test checks they agree)."""
    lines = [
        "# Indicators",
        "",
        "Generated from `app/services/planning/definitions.py` (`python -m app.services.planning.definitions "
        "> docs/indicators.md`); the API serves the same data at "
        "`GET /api/v1/indicators/definitions`. See the end for the method notes.",
        "",
        "| code | name (tr) | name (en) | unit | estimate | theme |",
        "|---|---|---|---|---|---|",
    ]
    for item in INDICATORS:
        lines.append(
            f"| `{item.code}` | {item.name_tr} | {item.name_en} | {item.unit} | "
            f"{'yes' if item.estimate else 'no'} | {item.theme} |"
        )
    lines.append("")
    for item in INDICATORS:
        lines += [
            f"## `{item.code}`",
            "",
            f"**{item.name_en}** / {item.name_tr}. {item.definition}",
            "",
            f"- Formula: `{item.formula}`",
            f"- Unit: {item.unit}; theme: {item.theme}; estimate: "
            f"{'yes' if item.estimate else 'no'}",
        ]
        if item.rests_on:
            lines.append(f"- Rests on: {', '.join(f'`{c}`' for c in item.rests_on)}")
        if item.caveats:
            lines.append(f"- Caveats: {item.caveats}")
        lines.append("")
    lines += METHOD_NOTES
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
