"""The tests' strict MVT decoder against @mapbox/mvt-fixtures: valid tiles decode, invalid refused.

Two fixtures say "valid" where the suite itself says the same bytes are invalid; the decoder
follows the stricter reading, and the test states why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.tile_support import InvalidTile, decode_strict

FIXTURES = (
    Path(__file__).resolve().parents[2] / "frontend/node_modules/@mapbox/mvt-fixtures/fixtures"
)
REFUSED_THOUGH_MARKED_VALID = {
    # Byte for byte the same tile as 003 ("missing geometry type", invalid): the spec says a
    # feature MUST carry its type, and the two cannot be told apart.
    "016": "identical to fixture 003, which the suite marks invalid",
    # A MoveTo count of 536,870,911 with one pair of parameters: what 051 (fatal) is.
    "057": "a command count beyond its parameters, as fixture 051 (fatal)",
}


def fixtures():
    if not FIXTURES.is_dir():
        pytest.fail(f"{FIXTURES} is missing: run make setup (npm ci installs mvt-fixtures)")
    for info in sorted(FIXTURES.glob("*/info.json")):
        yield pytest.param(info.parent, id=info.parent.name)


def test_the_fixture_suite_is_there():
    assert len(list(fixtures())) >= 70


@pytest.mark.parametrize("fixture", list(fixtures()))
def test_fixture(fixture: Path):
    validity = json.loads((fixture / "info.json").read_text())["validity"]
    content = (fixture / "tile.mvt").read_bytes()
    if validity["v2"] and fixture.name not in REFUSED_THOUGH_MARKED_VALID:
        decoded = decode_strict(content)
        expected = json.loads((fixture / "tile.json").read_text())
        assert sorted(decoded) == sorted({layer["name"] for layer in expected.get("layers", [])})
    else:
        with pytest.raises(InvalidTile):
            decode_strict(content)
