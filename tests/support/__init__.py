"""Shared test helpers: data builders, HTTP and browser helpers, dates."""

import pkgutil

import pytest

# Their asserts report like the tests' own: registered before any of them is imported.
pytest.register_assert_rewrite(*(f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)))
