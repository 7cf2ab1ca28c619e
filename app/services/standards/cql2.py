"""CQL2 text filters on the report collections (OGC API – Features Part 3, Basic CQL2).

pygeofilter (a maintained OGC filter parser) reads the text; this module turns its syntax tree
into a SQL condition over the queryables of a public point, and refuses anything else with a
message that says what is allowed: Basic CQL2 is comparisons (`=`, `<>`, `<`, `<=`, `>`,
`>=`, `IS NULL`) of a queryable with a literal, combined with AND, OR and NOT. The
queryables are properties every public point already shows, so a filter selects among public
points and reveals nothing they do not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lark.exceptions import LarkError
from pygeofilter import ast
from pygeofilter.parsers.cql2_text import parse
from sqlalchemy import ColumnElement, String, and_, cast, func, not_, or_

from app.errors import InvalidInput
from app.models import Category, CategoryGroup, Report, TimeBand

FILTER_LANG = "cql2-text"
MAX_FILTER_LENGTH = 2000
CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
)


@dataclass(frozen=True)
class Queryable:
    column: Callable[[], Any]  # a column expression, built per query
    schema: dict
    check: Callable[[object], bool]
    expects: str


def _text(value: object) -> bool:
    return isinstance(value, str)


def _month(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) is not None


def _safety(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


QUERYABLES: dict[str, Queryable] = {
    "category": Queryable(
        lambda: Category.code,
        {"type": "string", "title": "Category code (e.g. dark_street)"},
        _text,
        "a category code in quotes",
    ),
    "category_group": Queryable(
        lambda: cast(Category.group, String),
        {
            "type": "string",
            "title": "Category group",
            # Harassment is a sensitive group: it never reaches the points.
            "enum": [g.value for g in CategoryGroup if g is not CategoryGroup.harassment],
        },
        _text,
        "a category group in quotes",
    ),
    "time_band": Queryable(
        lambda: cast(Report.time_band, String),
        {"type": "string", "title": "Time of day", "enum": [b.value for b in TimeBand]},
        _text,
        "a time band in quotes",
    ),
    "perceived_safety": Queryable(
        lambda: Report.perceived_safety,
        {"type": "integer", "title": "Felt safety (1 very unsafe to 5 safe)"},
        _safety,
        "a whole number",
    ),
    "occurred_month": Queryable(
        lambda: func.to_char(Report.occurred_on, "YYYY-MM"),
        {"type": "string", "title": "Month it happened (YYYY-MM)", "pattern": r"^\d{4}-\d{2}$"},
        _month,
        "a month 'YYYY-MM' in quotes",
    ),
}

COMPARISONS: dict[type, Callable] = {
    ast.Equal: operator.eq,
    ast.NotEqual: operator.ne,
    ast.LessThan: operator.lt,
    ast.LessEqual: operator.le,
    ast.GreaterThan: operator.gt,
    ast.GreaterEqual: operator.ge,
}
BASIC = "Basic CQL2: comparisons (=, <>, <, <=, >, >=, IS NULL) joined with AND, OR, NOT"


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field="filter")


def _queryable(node: object) -> tuple[str, Queryable]:
    if not isinstance(node, ast.Attribute):
        raise _refuse(
            f"Compare a queryable with a value (e.g. category = 'dark_street'); "
            f"queryables: {', '.join(QUERYABLES)}."
        )
    found = QUERYABLES.get(node.name)
    if found is None:
        raise _refuse(
            f"{node.name!r} is not a queryable of this collection; use one of "
            f"{', '.join(QUERYABLES)} (see its /queryables)."
        )
    return node.name, found


def _condition(node: object) -> ColumnElement[bool]:
    if isinstance(node, ast.And):
        return and_(_condition(node.lhs), _condition(node.rhs))
    if isinstance(node, ast.Or):
        return or_(_condition(node.lhs), _condition(node.rhs))
    if isinstance(node, ast.Not):
        return not_(_condition(node.sub_node))
    if isinstance(node, ast.IsNull):
        _, queryable = _queryable(node.lhs)
        column = queryable.column()
        return column.is_not(None) if node.not_ else column.is_(None)
    compare = COMPARISONS.get(type(node))
    if compare is None:
        raise _refuse(f"{type(node).__name__} is not supported here: {BASIC}.")
    name, queryable = _queryable(node.lhs)  # type: ignore[attr-defined]
    value = node.rhs  # type: ignore[attr-defined]
    if not queryable.check(value):
        raise _refuse(f"{name} is compared with {queryable.expects}, not {value!r}.")
    return compare(queryable.column(), value)


def report_filter(text: str) -> ColumnElement[bool]:
    """The SQL condition of a CQL2 text filter over the report queryables; InvalidInput
    (400) for a syntax error or what Basic CQL2 on these queryables does not allow."""
    if len(text) > MAX_FILTER_LENGTH:
        raise _refuse(f"A filter is at most {MAX_FILTER_LENGTH} characters.")
    if "\x00" in text:
        raise _refuse("A filter cannot hold a NUL character.")
    try:
        tree = parse(text)
    except (LarkError, ValueError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise _refuse(f"The filter is not valid CQL2 text ({first}). {BASIC}.") from None
    return _condition(tree)


def queryables(url: str, title: str, points: bool) -> dict:
    """The collection's queryables as a JSON Schema (OGC API – Features Part 3): the report
    points' properties; none for the aggregates."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": title,
        "properties": {name: q.schema for name, q in QUERYABLES.items()} if points else {},
        "additionalProperties": False,
    }
