"""In a real Chromium: a unit reporter enters a progress update on the plan's work page, the
equality unit accepts it, and the public plan page shows the new progress, its chart and its
intervention; axe-core finds nothing serious on either page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import ProgressUpdate, ReviewState
from app.schemas.interventions import InterventionCreate, PlaceGeometry
from app.schemas.monitoring import ObservationCreate
from app.services.monitoring import indicators, interventions, periods
from tests.monitoring.support import YEAR, build_plan
from tests.support.browser import browser_page, staff_log_in
from tests.support.factories import KIZILAY, PASSWORD

pytest_plugins = ("tests.support.browser",)
pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1280, "height": 900}, "locale": "tr-TR", "service_workers": "block"}


def test_an_update_entered_accepted_and_shown_publicly(server, db, settings, chromium, laptop):
    world = build_plan(db, settings)
    g2 = indicators.indicator_by_code(db, world.plan, "G2")
    periods.enter_observation(
        db, world.planner, world.plan, g2, ObservationCreate(period=str(YEAR), value=180)
    )
    interventions.create_intervention(
        db,
        world.planner,
        world.plan,
        InterventionCreate(
            code="LAMBA-1",
            kind="lighting",
            title_tr="Kızılay'da aydınlatma",
            completed_on=date.today() - timedelta(days=40),
            geometry=PlaceGeometry(type="Point", coordinates=KIZILAY),
        ),
    )
    db.commit()
    page = laptop.page
    page.set_default_timeout(45_000)  # each step reloads the page; slow under a loaded CI
    staff_log_in(page, "/plans/YEEP-TEST/work", world.reporter.email, PASSWORD, ready=True)
    form = page.locator("form.js-update")
    form.get_by_label("Madde").select_option("1.1.1")
    form.get_by_label("İlerleme (yüzde)").fill("60")
    form.get_by_label("Neler yapıldı").fill("Kızılay'da 80 lamba yenilendi.")
    form.get_by_label("Kadın").fill("1200")
    with (
        page.expect_navigation(),
        page.expect_response(lambda r: r.url.endswith("/submit")) as sent,
    ):
        form.get_by_role("button", name="Kaydet ve incelemeye gönder").click()
    assert sent.value.status == 200
    with server.lock:
        db.expire_all()
        (update,) = db.scalars(select(ProgressUpdate)).all()
        assert update.review_state is ReviewState.submitted
        assert float(update.progress) == 60 and update.beneficiaries_women == 1200
    assert laptop.axe("plan-work-reporter") == []

    with browser_page(chromium, server.url, **DESK) as (_, desk, traffic):
        desk.set_default_timeout(45_000)
        staff_log_in(desk, "/plans/YEEP-TEST/work", world.planner.email, PASSWORD, ready=True)
        pending = desk.locator(".js-review")
        pending.get_by_text("Kızılay'da 80 lamba yenilendi.").wait_for()
        pending.get_by_label("Birime not").fill("Kanıt yeterli.")
        accept = pending.get_by_role("button", name="Kabul et")
        with desk.expect_navigation(), desk.expect_response(lambda r: "/accept" in r.url) as done:
            accept.click()
        assert done.value.status == 200
        desk.get_by_text("İncelenmeyi bekleyen bir şey yok.").wait_for()
        desk.locator("body[data-ready=true]").wait_for()
        assert traffic.errors == []

    public = laptop.page
    public.context.clear_cookies()
    public.goto("/plans/YEEP-TEST")
    activity = public.locator(".plan-item--activity", has_text="Lamba yenileme")
    assert activity.locator("progress").first.get_attribute("value") == "60.0"
    assert public.locator(".indicator-chart").count() >= 1
    chart = public.locator(".indicator-chart", has_text="Yenilenen lamba sayısı")
    caption = chart.locator("figcaption").inner_text()
    assert "100" in caption and "400" in caption  # baseline and target
    assert "180" not in caption  # its period is not published yet: not public
    assert chart.locator("rect").count() == 2
    public.get_by_role("link", name="Kızılay'da aydınlatma").click()
    public.wait_for_url("**/plans/YEEP-TEST/interventions/LAMBA-1")
    public.locator("#intervention-map[data-ready=true]").wait_for()
    assert public.get_by_role("heading", name="Dikkatle okuyun").is_visible()
    assert laptop.axe("intervention-page") == []
    public.goto("/plans/YEEP-TEST")
    assert laptop.axe("plan-page") == []
