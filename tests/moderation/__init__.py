"""Tests: moderation."""
