"""Interface language: Turkish by default, English switchable, every string translated."""

from __future__ import annotations

import json
import re

from app import i18n


def test_every_interface_string_has_a_turkish_translation():
    assert i18n.untranslated("tr") == []


def test_extraction_finds_template_and_script_strings():
    ids = i18n.interface_message_ids()
    assert "Quick exit" in ids  # base.html
    assert len(ids) > 5


def test_turkish_is_the_default(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="tr">' in page.text
    assert "Hızlı çıkış" in page.text
    assert "Quick exit" not in page.text


def test_english_is_switchable_and_remembered(client):
    page = client.get("/?lang=en")
    assert '<html lang="en">' in page.text
    assert "Quick exit" in page.text and "Hızlı çıkış" not in page.text
    assert page.cookies.get(i18n.COOKIE) == "en"
    again = client.get("/")  # the cookie keeps the choice
    assert '<html lang="en">' in again.text


def test_browser_language_chooses_english_only_without_turkish():
    assert i18n.negotiate(None, None, "en-US,en;q=0.9") == "en"
    assert i18n.negotiate(None, None, "en-US,tr;q=0.8") == "tr"
    assert i18n.negotiate(None, None, "") == "tr"
    assert i18n.negotiate(None, "en", "tr-TR") == "en"
    assert i18n.negotiate("tr", "en", "en") == "tr"
    assert i18n.negotiate("xx", None, "") == "tr"


def test_script_catalogue_is_in_the_page_config(client):
    page = client.get("/")
    config = json.loads(re.search(r'id="config">(.*?)</script>', page.text, re.S).group(1))
    assert config["locale"] == "tr"
    assert config["messages"] == i18n.js_catalog("tr")
    english = client.get("/?lang=en").text
    config_en = json.loads(re.search(r'id="config">(.*?)</script>', english, re.S).group(1))
    assert config_en["locale"] == "en" and config_en["messages"] == {}


def test_dates_and_numbers_follow_the_locale():
    from datetime import date

    token = i18n.set_locale("tr")
    try:
        assert i18n.format_number(1234.5) == "1.234,5"
        assert "Kasım" in i18n.format_date(date(2026, 11, 21), "long")
    finally:
        i18n.reset_locale(token)
    token = i18n.set_locale("en")
    try:
        assert i18n.format_number(1234.5) == "1,234.5"
        assert "November" in i18n.format_date(date(2026, 11, 21), "long")
    finally:
        i18n.reset_locale(token)


def test_catalogues_do_not_translate_one_id_two_ways():
    """Catalogues are merged, so one id with two translations would silently pick one."""
    from babel.messages.pofile import read_po

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in sorted((i18n.TRANSLATIONS / "tr" / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f):
                if not message.id:
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                value = message.string if isinstance(message.string, str) else message.string[0]
                if key in seen and seen[key][1] != value:
                    clashes.append((key, seen[key], (path.name, value)))
                seen.setdefault(key, (path.name, value))
    assert clashes == []
