"""Mor Harita: a participatory safety map for Turkish cities."""
