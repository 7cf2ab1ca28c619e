"""Interface language: Turkish by default, English switchable (gettext catalogues via Babel).

Message ids are English. Turkish translations live in `translations/tr/LC_MESSAGES/*.po`;
every `.po` file there is loaded and merged, so each area of the product (common, citizen,
moderation, planner) keeps its own file. English needs no catalogue: the ids are English.

Templates call `_()`/`ngettext()` (Jinja2's i18n extension); the browser scripts call
`t()` from `static/js/lib/i18n.js`, whose catalogue (only the strings the scripts use) is handed
over in the page's #config block. `make messages` lists strings that lack a translation.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal as _format_decimal
from babel.support import Translations

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
JS_DIR = ROOT / "frontend" / "static" / "js"

LOCALES = ("tr", "en")
DEFAULT_LOCALE = "tr"
ISTANBUL = ZoneInfo("Europe/Istanbul")
COOKIE = "mh_lang"  # a session cookie (app.main): never kept past the browser session
# Keywords the browser scripts use: t('...') and tn('one', 'many', n).
JS_KEYWORDS = {"t": None, "tn": (1, 2)}

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> object:
    """Make `locale` current for this request (or test); returns a token for `reset_locale`."""
    return _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def reset_locale(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """All catalogues of `locale` merged into one (compiled in memory from the .po files)."""
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    merged: Translations | None = None
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = Translations(buffer)
        if merged is None:
            merged = part
        else:
            merged.merge(part)
    return merged or _gettext.NullTranslations()


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


_ = gettext


@cache
def js_message_ids() -> frozenset[str | tuple[str, str]]:
    """Message ids the browser scripts use: t() ids, and (singular, plural) pairs of tn()."""
    ids: set[str | tuple[str, str]] = set()
    method_map = [("**.js", "javascript")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        JS_DIR, method_map=method_map, keywords=JS_KEYWORDS
    ):
        if isinstance(message, str):
            ids.add(message)
        elif len(message) == 2 and all(message):
            ids.add((message[0], message[1]))
    return frozenset(ids)


@cache
def js_catalog(locale: str) -> dict[str, str]:
    """{message id: translation} for the browser scripts in `locale` (empty for English)."""
    if locale == "en":
        return {}
    found = translations(locale)
    catalog: dict[str, str] = {}
    for mid in js_message_ids():
        if isinstance(mid, str):
            catalog[mid] = found.gettext(mid)
        else:
            singular, plural = mid
            catalog[singular] = found.ngettext(singular, plural, 1)
            catalog[plural] = found.ngettext(singular, plural, 2)
    return dict(sorted(catalog.items()))


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str) -> str:
    """The locale for a request: `?lang=`, then the session cookie's, then the browser's.

    Turkish is the default: the browser's list chooses English only when it names English
    and no Turkish at all (a visitor's phone set to English), never for a Turkish phone.
    """
    for choice in (query_lang, cookie_lang):
        if choice in LOCALES:
            return choice
    preferred = [part.split(";")[0].strip().lower() for part in accept_language.split(",")]
    languages = [p.split("-")[0] for p in preferred if p]
    if languages and "tr" not in languages and "en" in languages:
        return "en"
    return DEFAULT_LOCALE


def babel_locale(locale: str | None = None) -> Locale:
    try:
        return Locale.parse(locale or current_locale())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    return "" if value is None else _format_date(value, format=format, locale=babel_locale())


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return _format_datetime(value, format=format, tzinfo=ISTANBUL, locale=babel_locale())


def format_number(value: float | int | None, format: str | None = None) -> str:
    return "" if value is None else _format_decimal(value, format=format, locale=babel_locale())


def interface_message_ids() -> set[str | tuple[str, str]]:
    """Every string marked for translation in app/, the templates and the scripts (babel.cfg)."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, **JS_KEYWORDS}
    ids: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map=method_map, options_map=options_map, keywords=keywords
    ):
        if isinstance(message, str):
            ids.add(message)
        elif message and message[0]:
            ids.add((message[0], message[1]) if len(message) > 1 and message[1] else message[0])
    return ids


def untranslated(locale: str) -> list[str]:
    """Interface strings with no translation in `locale`'s catalogues (sorted)."""
    found = translations(locale)
    missing = []
    for mid in interface_message_ids():
        if isinstance(mid, str):
            if found.gettext(mid) == mid and not _is_untranslatable(mid):
                missing.append(mid)
        elif found.ngettext(mid[0], mid[1], 2) == mid[1]:
            missing.append(mid[0])
    return sorted(missing)


def _is_untranslatable(message: str) -> bool:
    """Strings that read the same in both languages (numbers, names, symbols)."""
    return not any(ch.isalpha() for ch in message) or message in SAME_IN_BOTH


# Proper names and codes that are the same in Turkish and English.
SAME_IN_BOTH = frozenset({"Mor Harita", "KVKK", "ALO 183", "OpenStreetMap", "TÜİK", "ŞÖNİM"})
