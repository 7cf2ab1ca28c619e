"""The conformance tools: ogcapi-registry checks /ogc/api against the declared classes
(Features and Tiles); ogctests (Features core + GeoJSON) runs in its own virtualenv."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.standards.ogc_support import add_reports

ROOT = Path(__file__).resolve().parents[2]
OGCTESTS = "ogctests==0.1.15"
# Its own virtualenv: ogctests pins httpx < 0.28, openapi-schema-validator < 0.7 and
# pyarrow < 18, which clash with ours. Created once, reused (.venv-ogctests is ignored by git).
OGCTESTS_VENV = Path(os.environ.get("OGCTESTS_VENV", ROOT / ".venv-ogctests"))


def test_ogcapi_registry_finds_every_declared_class_in_the_api_document(client, db):
    from ogcapi_registry import parse_conformance_classes, validate_ogc_api

    document = client.get("/ogc/api").json()
    declared = client.get("/ogc/conformance").json()
    result = validate_ogc_api(document, parse_conformance_classes(declared))
    assert result.is_valid, result.errors
    # It did check the classes: without the tiles paths, the Tiles classes fail.
    paths = {p: v for p, v in document["paths"].items() if "/tiles" not in p}
    assert not validate_ogc_api(
        {**document, "paths": paths}, parse_conformance_classes(declared)
    ).is_valid


def _ogctests_python() -> Path:
    python = OGCTESTS_VENV / "bin" / "python"
    if not python.exists():
        venv.create(OGCTESTS_VENV, with_pip=True)
    installed = subprocess.run(
        [python, "-m", "pip", "show", "ogctests"], capture_output=True, text=True
    )
    if installed.returncode != 0:
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", OGCTESTS], check=True, timeout=1200
        )
    return python


# The check ogctests gets wrong, skipped with its reason: test_ast2 demands the CRS class of
# Features Part 2 (http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs), an optional
# extension that Part 1 core does not require; this API serves CRS84 only.
DESELECTED = ("test_ast2",)
# ogctests' own client (httpx, 5 s timeout) with a longer timeout: the shared test machine
# is often loaded, and the hotspot layers compute Gi* with 999 permutations per request.
DRIVER = """
import sys, httpx
from ogctests.main import run_ogctests
# By name (-k): a node id depends on where pytest puts its rootdir, a name does not.
deselect = ["-k", " and ".join(f"not {n}" for n in sys.argv[2:])] if sys.argv[2:] else []
with httpx.Client(base_url=sys.argv[1], timeout=120) as client:
    sys.exit(run_ogctests("features/core", flags=["-q", "-rfE", "--tb=line", "-p", "no:cacheprovider", "-p", "no:warnings", *deselect], test_client=client))
"""


def test_ogctests_features_core_and_geojson(server, db, settings):
    add_reports(db, settings)
    python = _ogctests_python()
    done = subprocess.run(
        [python, "-c", DRIVER, f"{server.url}/ogc", *DESELECTED],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=OGCTESTS_VENV,
    )
    summary = done.stdout[-6000:] + done.stderr[-2000:]
    assert done.returncode == 0, summary
    assert " passed" in done.stdout and " failed" not in done.stdout, summary


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
