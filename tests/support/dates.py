"""Dates relative to today, so the suite does not rot (reports may be dated up to two years back)."""

from __future__ import annotations

from datetime import date, timedelta


def month_start(months_back: int = 0, today: date | None = None) -> date:
    """The first day of the month `months_back` months before this one."""
    today = today or date.today()
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def month_end(months_back: int = 0, today: date | None = None) -> date:
    """The last day of the month `months_back` months before this one."""
    return month_start(months_back - 1, today) - timedelta(days=1)
