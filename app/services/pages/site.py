"""What the HTML pages need besides the JSON API: the demo flag and the page configuration."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.i18n import gettext as _
from app.models import (
    AgeBand,
    CategoryGroup,
    Gender,
    Report,
    ReportSource,
    ServiceKind,
    TimeBand,
)
from app.schemas.reporting import CONSENT_VERSION, MAX_PLACE_DESCRIPTION, MAX_TEXT_LENGTH
from app.services.reference import MunicipalityNotFound, municipality_list, public_municipality
from app.services.reporting import MAX_PHOTOS, MAX_SIDE_PX

# Boundaries are OpenStreetMap data (ODbL): this notice is shown even when no tiles are drawn.
# It is the same string as the default tile attribution, so Leaflet shows it only once.
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
POPULATION_ATTRIBUTION = "Kaynak: TÜİK"
NEUTRAL_EXIT_URL = "https://www.google.com/search?q=hava+durumu"


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
        "exit_url": NEUTRAL_EXIT_URL,
    }


def report_form_options() -> dict:
    """The labelled choices of the report form in the request's language (values = enums)."""
    return {
        "safety": [
            (1, _("Very unsafe")),
            (2, _("Unsafe")),
            (3, _("Neither safe nor unsafe")),
            (4, _("Fairly safe")),
            (5, _("Safe")),
        ],
        "time_bands": [
            (TimeBand.day.value, _("Day (06–18)")),
            (TimeBand.evening.value, _("Evening (18–22)")),
            (TimeBand.night.value, _("Night (22–06)")),
        ],
        "genders": [
            (Gender.woman.value, _("Woman")),
            (Gender.man.value, _("Man")),
            (Gender.other.value, _("Other")),
            (Gender.undisclosed.value, _("Prefer not to say")),
        ],
        "age_bands": [
            (AgeBand.under_18.value, _("Under 18")),
            (AgeBand.age_18_24.value, "18–24"),
            (AgeBand.age_25_34.value, "25–34"),
            (AgeBand.age_35_44.value, "35–44"),
            (AgeBand.age_45_54.value, "45–54"),
            (AgeBand.age_55_64.value, "55–64"),
            (AgeBand.age_65_plus.value, _("65 and over")),
            (AgeBand.undisclosed.value, _("Prefer not to say")),
        ],
        "groups": [
            (CategoryGroup.lighting.value, _("Lighting")),
            (CategoryGroup.transport.value, _("Transport")),
            (CategoryGroup.harassment.value, _("Harassment and safety")),
            (CategoryGroup.environment.value, _("Built environment")),
            (CategoryGroup.infrastructure.value, _("Infrastructure")),
            (CategoryGroup.other.value, _("Other")),
        ],
        "service_kinds": [
            (ServiceKind.counselling.value, _("Women's counselling centre")),
            (ServiceKind.sonim.value, _("ŞÖNİM (violence prevention and monitoring centre)")),
            (ServiceKind.police.value, _("Police")),
            (ServiceKind.health.value, _("Health")),
            (ServiceKind.nursery.value, _("Nursery")),
            (ServiceKind.womens_centre.value, _("Women's centre")),
        ],
    }


def chosen_municipality(session: Session, code: str | None) -> dict | None:
    """The municipality a public page is about (its public entry: bbox, map view, languages),
    None for the whole deployment; MunicipalityNotFound naming the code when there is none."""
    if code is None or not code.strip():
        return None
    found = public_municipality(session, code.strip())
    if found is None:
        raise MunicipalityNotFound(f"Unknown municipality {code!r}.")
    return found


def municipality_choices(session: Session) -> list[dict]:
    """Code and name of every municipality, for a page that offers the choice."""
    return [{"code": m["code"], "name": m["name"]} for m in municipality_list(session)]


def report_labels(options: dict | None = None) -> dict:
    """{choice: {value: label}} of the report form's choices, for popups drawn by scripts."""
    options = options or report_form_options()
    return {
        name: {str(value): label for value, label in choices} for name, choices in options.items()
    }


def citizen_page_config(
    settings: Settings, demo: bool, municipality: dict | None = None
) -> tuple[dict, dict]:
    """(page config for the scripts, form options for the template) of the public map page;
    `municipality`: the one the page is about (None: the whole deployment)."""
    options = report_form_options()
    config = page_config(settings, demo)
    config.update(
        {
            "municipality": municipality,
            "max_place_description": MAX_PLACE_DESCRIPTION,
            "max_photos": MAX_PHOTOS,
            "photo_max_side": MAX_SIDE_PX,  # the browser downscales first; the server re-encodes
            "retention_years": settings.retention_years,
            "consent_version": CONSENT_VERSION,
            "labels": report_labels(options),
        }
    )
    return config, options


def _tile_origin(tile_url: str) -> str:
    """`https://{s}.tile.example.org/{z}/...` -> `https://*.tile.example.org` (for CSP)."""
    parts = urlsplit(tile_url)
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def page_headers(settings: Settings) -> dict[str, str]:
    """Headers for the HTML pages: nothing cached on a shared phone, no referrer, own scripts only."""
    # blob: for the previews of photos chosen in the report form (never uploaded anywhere else).
    images = " ".join(filter(None, ["'self'", "data:", "blob:", _tile_origin(settings.tile_url)]))
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
