"""The public plan pages: Turkish first, English switchable, the tree with progress bars,
indicators with their on-track status, the board's ratings and the municipality's answer."""

from __future__ import annotations

from datetime import date

from app.i18n import format_date, reset_locale, set_locale
from app.schemas.monitoring import AssessmentCreate, ItemFields
from app.services.monitoring import board, plans
from tests.monitoring.support import YEAR, build_plan


def _rated(db, settings):
    world = build_plan(db, settings)
    item = plans.item_by_code(db, world.plan, "1.1.1")
    plans.update_item(db, world.planner, world.plan, item, ItemFields(progress=50))
    assessment = board.create_assessment(
        db,
        world.monitor,
        world.plan,
        AssessmentCreate(
            period=str(YEAR),
            item="1.1.T",
            rating="partly_compliant",
            rights_based_note="CEMR Şartı md. 21: güvenlik",
            recommendation="Gece ulaşımını da ele alın",
        ),
    )
    board.publish_assessment(db, world.monitor, assessment)
    board.respond(db, world.planner, assessment, "Gece hattı 2026'da açılacak.")
    return world


def test_the_plan_page_in_turkish_and_english(client, db, settings):
    _rated(db, settings)
    page = client.get("/plans/YEEP-TEST")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="tr" dir="ltr">' in html
    assert "Test Yerel Eşitlik Eylem Planı" in html
    assert 'progress max="100" value="25.0"' in html  # 1.1.T = mean(50, 0)
    assert "Kısmen uyumlu" in html and "Gece hattı 2026&#39;da açılacak." in html
    assert "Hedefe doğru mu?" in html and "Sorumlu birim" in html
    english = client.get("/plans/YEEP-TEST?lang=en").text
    assert "Test Local Equality Action Plan" in english
    assert "Partly compliant" in english and "Municipality's response" in english
    listing = client.get("/plans")
    assert listing.status_code == 200 and "/plans/YEEP-TEST" in listing.text


def test_the_plan_period_is_written_as_dates_of_the_page_language(client, db, settings):
    world = _rated(db, settings)
    start, end = world.plan.period_start, world.plan.period_end
    for lang in ("tr", "en", "ar", "ku"):
        html = client.get(f"/plans/YEEP-TEST?lang={lang}").text
        token = set_locale(lang)
        try:
            written = f"{format_date(start)} – {format_date(end)}"
        finally:
            reset_locale(token)
        assert written in html, lang
        assert start.isoformat() not in html, lang
    assert format_date("2025-01-31") == format_date(date(2025, 1, 31))


def test_a_draft_plan_has_no_public_page(client, db, settings):
    build_plan(db, settings, state="draft")
    assert client.get("/plans/YEEP-TEST").status_code == 404
    assert "/plans/YEEP-TEST" not in client.get("/plans").text
