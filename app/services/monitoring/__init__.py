"""Equality-plan (YEEP) monitoring (DESIGN.md §9): plans, targets, indicators, reports.

What other domains may use is exported here; the modules inside are this domain's own.
"""

__all__: list[str] = []
