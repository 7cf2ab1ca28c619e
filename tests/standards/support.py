"""Open311 and webhook test helpers: reports in both districts, keys, posts."""

from __future__ import annotations

import httpx

from app.models import Report, ReportStatus
from app.services import standards
from tests.support.factories import make_report

EXACT = (32.8541237, 39.9208761)  # in Cumhuriyet Mahallesi (Çankaya), 7 decimals
YENIMAHALLE = (32.7012345, 39.9701234)  # in Yeni Batı Mahallesi (Yenimahalle)


def published(db, settings, category: str = "dark_street", point=EXACT, **kw) -> Report:
    report, _ = make_report(
        db, settings, lon=point[0], lat=point[1], status=ReportStatus.published,
        category=category, **kw,
    )  # fmt: skip
    return report


def new_key(db, municipality: str = "cankaya") -> str:
    _, plain = standards.create_key(db, municipality, f"{municipality} beyaz masa")
    db.flush()
    return plain


def post_form(key: str | None, **overrides) -> dict[str, str]:
    """A GeoReport POST body for a dark street at EXACT, consent given."""
    form = {
        "service_code": "dark_street",
        "lat": str(EXACT[1]),
        "long": str(EXACT[0]),
        "description": "Sokak lambaları yanmıyor.",
        "attribute[consent]": "yes",
        "attribute[perceived_safety]": "2",
        "email": "someone@example.org",  # never stored
        "first_name": "Ayşe",
    }
    if key is not None:
        form["api_key"] = key
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def post(client: httpx.Client, form: dict, fmt: str = "json") -> httpx.Response:
    return client.post(f"/open311/v2/requests.{fmt}", data=form)
