"""What the HTML pages need besides the JSON API: the demo flag and the page configuration."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import Report, ReportSource

# Boundaries are OpenStreetMap data (ODbL): this notice is shown even when no tiles are drawn.
# It is the same string as the default tile attribution, so Leaflet shows it only once.
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
POPULATION_ATTRIBUTION = "Kaynak: TÜİK"
MAX_TEXT_LENGTH = 2000


def demo_data_present(session: Session) -> bool:
    """True when any stored report is generated demo data (the pages then say so)."""
    return bool(session.scalar(select(exists().where(Report.source == ReportSource.demo))))


def page_config(settings: Settings, demo: bool) -> dict:
    """The settings the map scripts need, handed over as JSON (never string-built JS)."""
    return {
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "osm_attribution": OSM_ATTRIBUTION,
        "population_attribution": POPULATION_ATTRIBUTION,
        "center": [settings.map_center_lat, settings.map_center_lon],
        "zoom": settings.map_zoom,
        "demo": demo,
        "k": settings.k_threshold,
        "max_text_length": MAX_TEXT_LENGTH,
    }


def _tile_origin(tile_url: str) -> str:
    """`https://{s}.tile.example.org/{z}/...` -> `https://*.tile.example.org` (for CSP)."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def page_headers(settings: Settings) -> dict[str, str]:
    """Headers for the HTML pages: nothing cached on a shared phone, no referrer, own scripts only."""
    images = " ".join(filter(None, ["'self'", "data:", _tile_origin(settings.tile_url)]))
    policy = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    return {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
    }
