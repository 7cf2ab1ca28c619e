"""Tests: reporting."""
