"""Values for the audit log: before/after of what an edit changed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def plain(value: Any) -> Any:
    """A value as JSON for the audit log."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def apply_changes(obj: Any, changes: dict[str, Any]) -> tuple[dict, dict]:
    """Set the changed attributes; return (before, after) of those that changed."""
    before, after = {}, {}
    for name, value in changes.items():
        old = getattr(obj, name)
        if plain(old) != plain(value):
            before[name], after[name] = plain(old), plain(value)
            setattr(obj, name, value)
    return before, after
