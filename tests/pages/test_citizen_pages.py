"""The citizen page's server side: the service worker route, page configuration, headers."""

from __future__ import annotations

import json
import re

from app.i18n import reset_locale, set_locale
from app.services.pages import site


def page_config(html: str) -> dict:
    return json.loads(re.search(r'id="config">(.*?)</script>', html, re.S).group(1))


def test_service_worker_is_served_from_the_root_with_its_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"  # a new version is picked up
    assert "const CACHE = 'static-v3';" in response.text  # a name that says nothing
    assert "'/api/'" in response.text  # API answers are never cached


def test_map_page_config_names_the_retention_and_consent_version(client, settings):
    page = client.get("/")
    config = page_config(page.text)
    assert config["retention_years"] == settings.retention_years == 5
    assert config["consent_version"] == "2026-11-v1"
    assert config["max_photos"] == 3 and config["photo_max_side"] == 1600
    assert config["labels"]["safety"]["1"] == "Çok güvensiz"
    assert config["labels"]["time_bands"]["night"] == "Gece (22–06)"
    assert "en fazla 5 yıl saklanır" in page.text  # the consent text states the period
    english = page_config(client.get("/?lang=en").text)
    assert english["labels"]["safety"]["1"] == "Very unsafe"


def test_form_options_are_the_enum_values_with_translated_labels():
    from app.models import AgeBand, Gender, TimeBand

    token = set_locale("tr")
    try:
        options = site.report_form_options()
    finally:
        reset_locale(token)
    assert [v for v, _ in options["genders"]] == [g.value for g in Gender]
    assert [v for v, _ in options["age_bands"]] == [a.value for a in AgeBand]
    assert [v for v, _ in options["time_bands"]] == [t.value for t in TimeBand]
    assert dict(options["genders"])["undisclosed"] == "Belirtmek istemiyorum"


def test_page_allows_blob_images_for_photo_previews_and_only_own_scripts(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "img-src 'self' data: blob:" in policy
    assert "script-src 'self';" in policy


def test_report_page_holds_no_report_data(client, db, settings):
    from app.models import ReportStatus
    from tests.support.factories import make_report

    report, code = make_report(db, settings, status=ReportStatus.published, text="Gizli değil.")
    db.commit()
    html = client.get("/").text
    assert report.public_id not in html and code not in html and "Gizli değil." not in html
