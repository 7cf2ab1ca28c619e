"""Tests: planning."""
