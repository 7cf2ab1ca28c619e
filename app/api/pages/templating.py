"""The one Jinja2 environment of the HTML pages, with gettext and locale-aware formatting."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from app import i18n
from app.config import Settings
from app.services.pages import site

TEMPLATES = Path(__file__).resolve().parents[3] / "frontend" / "templates"

templates = Jinja2Templates(directory=TEMPLATES)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True
)


# Query parameters a page keeps when its language changes: which municipality it is about.
# Nothing else is echoed into the page (a log-in's `next` may be hostile).
KEPT_ON_LANGUAGE_CHANGE = ("municipality",)


def language_href(request: Request, locale: str) -> str:
    """This page in `locale`: `?lang=` set, the municipality it is about kept."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in KEPT_ON_LANGUAGE_CHANGE]
    return "?" + urlencode([*kept, ("lang", locale)])


templates.env.globals.update(
    current_locale=i18n.current_locale,
    text_direction=i18n.direction,
    locales=i18n.LOCALES,
    language_href=language_href,
)
templates.env.filters.update(
    format_date=i18n.format_date,
    format_datetime=i18n.format_datetime,
    format_number=i18n.format_number,
)


def render(
    request: Request,
    name: str,
    context: dict,
    settings: Settings,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the request's language (staff pages: Turkish or English);
    `context["config"]` gains the JS catalogue, `context["languages"]` the page's choices."""
    token = i18n.set_locale(i18n.page_locale(name, i18n.current_locale()))
    try:
        config = context.setdefault("config", {})
        config["locale"] = i18n.current_locale()
        config["messages"] = i18n.js_catalog(i18n.current_locale())
        config["formats"] = i18n.browser_formats(i18n.current_locale())
        context["languages"] = i18n.page_languages(name)
        return templates.TemplateResponse(
            request, name, context, headers=headers or site.page_headers(settings)
        )
    finally:
        i18n.reset_locale(token)
