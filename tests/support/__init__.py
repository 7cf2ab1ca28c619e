"""Shared test helpers: data builders, HTTP and browser helpers, dates."""
