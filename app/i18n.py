"""Interface language: Turkish by default; English, Arabic (right to left) and Kurmanji
Kurdish on the citizen pages (gettext catalogues via Babel); staff pages in Turkish and English.

Message ids are English. Translations live in `translations/<locale>/LC_MESSAGES/*.po`;
every `.po` file there is loaded and merged, so each area of the product (common, citizen,
moderation, planner) keeps its own file. English needs no catalogue: the ids are English.
Arabic and Kurdish entries carry the translator comment `review: native speaker` until a
native speaker has checked them (docs/translations.md).

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
from babel.messages.catalog import Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal as _format_decimal
from babel.support import Translations

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
JS_DIR = ROOT / "frontend" / "static" / "js"

LOCALES = ("tr", "en", "ar", "ku")
STAFF_LOCALES = ("tr", "en")  # staff pages: the volunteers' and planners' working languages
DEFAULT_LOCALE = "tr"
# Each language by its own name, as the language choice offers it.
LANGUAGE_NAMES = {"tr": "Türkçe", "en": "English", "ar": "العربية", "ku": "Kurmancî"}
RIGHT_TO_LEFT = frozenset({"ar"})
# Browser language tags that mean one of ours: Kurmanji is `ku` or, in ISO 639-3, `kmr`.
ALIASES = {"kmr": "ku"}
REVIEW_FLAG = "review: native speaker"
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


def direction(locale: str | None = None) -> str:
    """The writing direction of `locale` (default: the current one): "rtl" or "ltr"."""
    return "rtl" if (locale or current_locale()) in RIGHT_TO_LEFT else "ltr"


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


@cache
def catalogue(locale: str) -> dict[str, tuple[Message, int]]:
    """{message id: (entry, number of plural forms)} of `locale`'s .po files, first file wins."""
    entries: dict[str, tuple[Message, int]] = {}
    for path in sorted((TRANSLATIONS / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key:
                entries.setdefault(key, (message, catalog.num_plurals))
    return entries


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
def plural_samples(locale: str) -> dict[str, int]:
    """{CLDR plural category: the smallest count in it} for `locale` (ar: zero … other)."""
    rule = babel_locale(locale).plural_form
    samples: dict[str, int] = {}
    for n in range(0, 200):
        samples.setdefault(rule(n), n)
    return samples


@cache
def js_catalog(locale: str) -> dict[str, str | dict[str, str]]:
    """{message id: translation} for the browser scripts in `locale` (empty for English);
    a tn() id maps to {CLDR plural category: form}, which lib/i18n.js picks with Intl."""
    if locale == "en":
        return {}
    found = translations(locale)
    catalog: dict[str, str | dict[str, str]] = {}
    for mid in js_message_ids():
        if isinstance(mid, str):
            catalog[mid] = found.gettext(mid)
        else:
            singular, plural = mid
            catalog[singular] = {
                category: found.ngettext(singular, plural, n)
                for category, n in plural_samples(locale).items()
            }
    return dict(sorted(catalog.items()))


def negotiate(query_lang: str | None, cookie_lang: str | None, accept_language: str) -> str:
    """The locale for a request: `?lang=`, then the session cookie's, then the browser's.

    Turkish is the default: the browser's list chooses another language only when it names
    no Turkish at all (a phone set to Arabic or English), then its first one we have.
    """
    for choice in (query_lang, cookie_lang):
        if choice in LOCALES:
            return choice
    preferred = [part.split(";")[0].strip().lower() for part in accept_language.split(",")]
    languages = [ALIASES.get(code, code) for code in (p.split("-")[0] for p in preferred if p)]
    if "tr" not in languages:
        for code in languages:
            if code in LOCALES:
                return code
    return DEFAULT_LOCALE


def page_locale(template: str, locale: str) -> str:
    """The language a page is shown in: staff pages have Turkish and English only."""
    return locale if template in CITIZEN_TEMPLATES or locale in STAFF_LOCALES else DEFAULT_LOCALE


def page_languages(template: str) -> list[tuple[str, str]]:
    """(code, own name) of the languages a page offers: all four on the citizen pages."""
    codes = LOCALES if template in CITIZEN_TEMPLATES else STAFF_LOCALES
    return [(code, LANGUAGE_NAMES[code]) for code in codes]


def babel_locale(locale: str | None = None) -> Locale:
    try:
        return Locale.parse(locale or current_locale())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LOCALE)


def format_date(value: date | datetime | str | None, format: str = "medium") -> str:
    """A date in the page's language; an ISO string (as the JSON views carry) is parsed first."""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return "" if value is None else _format_date(value, format=format, locale=babel_locale())


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return _format_datetime(value, format=format, tzinfo=ISTANBUL, locale=babel_locale())


def format_number(value: float | int | None, format: str | None = None) -> str:
    # Latin digits in every language, like the tracking codes and phone numbers beside them.
    if value is None:
        return ""
    return _format_decimal(value, format=format, locale=babel_locale(), numbering_system="latn")


@cache
def browser_formats(locale: str) -> dict:
    """Month names and number separators (Babel's CLDR data) for the scripts, for browsers
    whose Intl lacks the locale (Chromium has no Kurmanji): lib/i18n.js falls back to them."""
    data = babel_locale(locale)
    symbols = data.number_symbols["latn"]
    months = data.months["format"]["wide"]
    return {
        "months": [months[m] for m in range(1, 13)],
        "decimal": symbols["decimal"],
        "group": symbols["group"],
    }


def labels(english: str, **given: str) -> dict[str, str]:
    """A label in every language: `given` ones ({"tr": ...}), the others from the catalogues
    (`english` is the message id, so mark it with N_() where it is written)."""
    found = {code: translations(code).gettext(english) for code in LOCALES if code != "en"}
    return {**found, "en": english, **given}


def N_(message: str) -> str:
    """Marks a message id for extraction where it is translated later (labels stored as data)."""
    return message


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


# What the citizen pages are made of (the pages anyone may see without an account, the public
# plan pages included): these must be translated into every language of LOCALES.
CITIZEN_TEMPLATES = frozenset(
    {
        "base.html",
        "map.html",
        "partials/report_panel.html",
        "track.html",
        "municipality_not_found.html",
        "plans.html",
        "plan.html",
        "partials/plan_labels.html",
        "intervention.html",
        "plans_compare.html",
    }
)
CITIZEN_SCRIPTS = ("lib/*.js", "map/*.js", "report-form.js", "report-form/*.js", "pages/map.js",
                   "pages/track.js")  # fmt: skip
# Python modules whose marked strings reach citizen pages (form choices, stored labels).
CITIZEN_PYTHON = (
    "app/services/pages/site.py",
    "app/services/reference/categories.py",
    "app/services/reference/service_points.py",
)
STAFF_SCRIPTS = frozenset({"lib/staff-nav.js"})


def citizen_message_ids() -> set[str | tuple[str, str]]:
    """Every string marked for translation in the citizen templates, scripts and modules."""
    keywords = {**DEFAULT_KEYWORDS, **JS_KEYWORDS}
    sources = [("jinja2", ROOT / "frontend" / "templates" / name) for name in CITIZEN_TEMPLATES]
    sources += [
        ("javascript", path)
        for pattern in CITIZEN_SCRIPTS
        for path in sorted(JS_DIR.glob(pattern))
        if path.relative_to(JS_DIR).as_posix() not in STAFF_SCRIPTS
    ]
    sources += [("python", ROOT / name) for name in CITIZEN_PYTHON]
    ids: set[str | tuple[str, str]] = set()
    for method, path in sources:
        for _line, message, _comments, _context in extract_from_file(
            method, path, keywords=keywords
        ):
            if isinstance(message, str):
                ids.add(message)
            elif message and message[0]:
                pair = len(message) > 1 and message[1]
                ids.add((message[0], message[1]) if pair else message[0])
    return ids


def untranslated(locale: str, ids: set[str | tuple[str, str]] | None = None) -> list[str]:
    """Strings (default: every interface string) without a non-empty, non-fuzzy translation
    in `locale`'s catalogues, every plural form included (sorted). English ids are English."""
    if locale == "en":
        return []
    entries = catalogue(locale)
    missing = set()
    for mid in interface_message_ids() if ids is None else ids:
        key = mid if isinstance(mid, str) else mid[0]
        entry = entries.get(key)
        if entry is None:
            if not (isinstance(mid, str) and _is_untranslatable(mid)):
                missing.add(key)
            continue
        message, forms = entry
        strings = (
            [message.string] if isinstance(message.string, str) else list(message.string or ())
        )
        forms_missing = isinstance(mid, tuple) and len(strings) != forms
        if forms_missing or message.fuzzy or not all(s.strip() for s in strings):
            missing.add(key)
    return sorted(missing)


def messages_report() -> str:
    """What `make messages` prints: untranslated strings per language, and reviews pending."""
    lines = [f"{code}: untranslated: {m}" for code in STAFF_LOCALES for m in untranslated(code)]
    citizen = citizen_message_ids()
    for code in LOCALES:
        lines += [f"{code}: untranslated citizen string: {m}" for m in untranslated(code, citizen)]
    for code in sorted(RIGHT_TO_LEFT | {"ku"}):
        lines.append(
            f"{code}: {len(awaiting_review(code))} entries await a native speaker's review"
        )
    return "\n".join(lines)


def awaiting_review(locale: str) -> list[str]:
    """Message ids of `locale` whose translation still awaits a native speaker's review."""
    return sorted(
        key
        for key, (message, _forms) in catalogue(locale).items()
        if any(REVIEW_FLAG in comment for comment in message.user_comments)
    )


def _is_untranslatable(message: str) -> bool:
    """Strings that read the same in every language (numbers, names, symbols)."""
    return not any(ch.isalpha() for ch in message) or message in SAME_IN_BOTH


# Proper names and codes that are the same in every language.
SAME_IN_BOTH = frozenset({"Mor Harita", "KVKK", "ALO 183", "OpenStreetMap", "TÜİK", "ŞÖNİM"})
