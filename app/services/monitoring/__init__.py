"""Equality-plan (YEEP) monitoring (DESIGN.md §9): plans, targets, indicators, reports."""
