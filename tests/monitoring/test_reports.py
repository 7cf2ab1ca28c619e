"""Published monitoring reports: frozen when the period is published, HTML and PDF."""

from __future__ import annotations

import subprocess

from app.models import ReportStatus
from app.schemas.monitoring import AssessmentCreate, ItemFields, ObservationCreate
from app.services.monitoring import board, indicators, periods, plans
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import login, make_report

PLAN = "/api/v1/plans/YEEP-TEST"


def _pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text, read back with pdftotext (poppler-utils)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_publishing_a_period_publishes_a_frozen_report(client, db, settings, tmp_path):
    world = build_plan(db, settings)
    for _ in range(6):
        make_report(db, settings, status=ReportStatus.published)
    g2 = indicators.indicator_by_code(db, world.plan, "G2")
    periods.enter_observation(
        db, world.reporter, world.plan, g2, ObservationCreate(period=str(YEAR), value=236)
    )
    assessment = board.create_assessment(
        db,
        world.monitor,
        world.plan,
        AssessmentCreate(period=str(YEAR), item="1.1.T", rating="compliant"),
    )
    board.publish_assessment(db, world.monitor, assessment)
    login(client, world.planner)
    for state in ("collecting", "under_review", "published"):
        response = client.post(f"{PLAN}/periods/{YEAR}/state", json={"state": state})
        assert response.status_code == 200, response.text
    client.cookies.clear()
    (report,) = client.get(f"{PLAN}/reports").json()["reports"]
    assert report["period"] == str(YEAR) and report["kind"] == "progress"
    html = client.get(report["html_url"])
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "İzleme raporu" in html.text and "Test Yerel Eşitlik Eylem Planı" in html.text
    assert "236" in html.text and "Uyumlu" in html.text  # the board's rating, in words
    assert "not_started" not in html.text and "compliant" not in html.text  # never raw codes
    pdf = client.get(report["pdf_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    text = _pdf_text(pdf.content, tmp_path)
    for expected in (
        "İzleme raporu",
        "Test Yerel Eşitlik Eylem Planı",
        "Lamba yenileme",
        "236",
        "Uyumlu",
    ):
        assert expected in html.text and expected in text, expected
    # Later edits do not change the published report.
    item = plans.item_by_code(db, world.plan, "1.1")
    plans.update_item(db, world.planner, world.plan, item, ItemFields(title_tr="Yeni başlık"))
    assert "Yeni başlık" not in client.get(report["html_url"]).text
    assert "Yeni başlık" in client.get(PLAN).text


def test_rendering_a_pdf_leaves_photo_checks_strict():
    """WeasyPrint switches Pillow to accept truncated images when imported; not for us."""
    from PIL import ImageFile

    from app.services.monitoring.reports import render_pdf

    assert render_pdf("<p>Çankaya</p>").startswith(b"%PDF-")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
