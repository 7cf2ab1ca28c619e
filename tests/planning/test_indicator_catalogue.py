"""The indicator catalogue (app/services/planning/indicators.toml): loaded, validated, refused."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable

import pytest

from app.models import CategoryGroup
from app.services.planning import definitions
from app.services.planning.definitions import CatalogueError, load_catalogue, parse_catalogue

SHIPPED = tomllib.loads(definitions.CATALOGUE_FILE.read_text(encoding="utf-8"))


def entry(data: dict, code: str) -> dict:
    return next(item for item in data["indicator"] if item.get("code") == code)


def family(data: dict, each: str) -> dict:
    return next(item for item in data["indicator"] if item.get("each") == each)


def test_the_shipped_catalogue_is_what_the_module_serves():
    catalogue = load_catalogue()
    assert catalogue.indicators == definitions.INDICATORS
    assert (
        len(definitions.INDICATORS) == len(definitions.BY_CODE) == 58
    )  # 47 + 11 audit walk indicators
    # Families are expanded over their enum, in its order.
    groups = [code for code in definitions.BY_CODE if code.startswith("share_")]
    assert groups[: len(CategoryGroup)] == [f"share_{g.value}" for g in CategoryGroup]
    assert definitions.GROUP_NAMES[CategoryGroup.lighting] == ("aydınlatma", "lighting")
    assert definitions.BY_CODE["reports_lighting"].caveats.startswith(definitions.SMALL_CELL)


def _set(code: str, key: str, value) -> Callable[[dict], None]:
    return lambda data: entry(data, code).__setitem__(key, value)


MALFORMED: dict[str, tuple[Callable[[dict], None], str]] = {
    "unknown key": (
        _set("reports", "caveat", "typo"),
        "indicator #1 (reports): caveat: Unexpected keyword argument",
    ),
    "missing field": (
        lambda data: entry(data, "reports_per_km2").pop("formula"),
        "(reports_per_km2): formula: Field required",
    ),
    "wrong type": (
        _set("reports_per_km2", "estimate", "yes"),
        "(reports_per_km2): estimate: Input should be a valid boolean",
    ),
    "duplicate code": (
        _set("sensitive_reports", "code", "reports"),
        "duplicate indicator code 'reports'",
    ),
    "rests_on an unknown count": (
        _set("reports_per_km2", "rests_on", ["reports", "repotrs"]),
        "indicator 'reports_per_km2': rests_on names 'repotrs', which is not a count indicator",
    ),
    "rests_on a value": (
        _set("hotspot_z", "rests_on", ["reports_per_km2"]),
        "indicator 'hotspot_z': rests_on names 'reports_per_km2', which is not a count",
    ),
    "unknown theme": (
        _set("reports", "theme", "safety"),
        "indicator 'reports': unknown theme 'safety' (not in [themes])",
    ),
    "unknown unit": (
        _set("reports", "unit", "reports"),
        "indicator 'reports': unknown unit 'reports' (not in [units])",
    ),
    "unknown placeholder": (
        _set("reports", "caveats", "{smal_cell} Typo."),
        "(reports): unknown placeholder {smal_cell}",
    ),
    "unknown kind": (
        _set("reports", "kind", "counts"),
        "(reports): kind: Input should be 'count', 'value' or 'class'",
    ),
    "bad code": (
        _set("reports", "code", "Reports-All"),
        "code: String should match pattern",
    ),
    "vocabulary missing an enum member": (
        lambda data: data["genders"].pop("man"),
        "[genders] must name every Gender exactly; missing: ['man'], unknown: none",
    ),
    "family over an unknown vocabulary": (
        lambda data: family(data, "genders").__setitem__("each", "sexes"),
        "(a family): each: Input should be",
    ),
    "family template with a fixed code": (
        lambda data: family(data, "age_bands")["template"][0].__setitem__("code", "reports_age"),
        "duplicate indicator code 'reports_age'",
    ),
    "unknown section": (
        lambda data: data.__setitem__("indicators", []),
        "indicators: Extra inputs are not permitted",
    ),
    "missing section": (
        lambda data: data.pop("units"),
        "units: Field required",
    ),
}


@pytest.mark.parametrize("problem", MALFORMED)
def test_a_malformed_catalogue_is_refused_naming_the_problem(problem):
    spoil, message = MALFORMED[problem]
    data = copy.deepcopy(SHIPPED)
    spoil(data)
    with pytest.raises(CatalogueError, match=re.escape(message)):
        parse_catalogue(data, "indicators.toml")


def test_a_catalogue_that_is_not_toml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "indicators.toml"
    path.write_text('[[indicator]]\ncode = "reports\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(f"{path}: not valid TOML")):
        load_catalogue(path)
