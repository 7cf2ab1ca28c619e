"""The answer of a plan imported from a spreadsheet."""

from __future__ import annotations

from pydantic import BaseModel


class PlanImported(BaseModel):
    plan: str
    state: str
    items: int
    indicators: int
    url: str
