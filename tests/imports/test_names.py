"""Turkish-aware name keys: how mahalle names are matched across files."""

from __future__ import annotations

import pytest

from app.services.imports.names import name_key, turkish_casefold


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ÇANKAYA", "Çankaya"),
        ("KIZILAY MAHALLESİ", "Kızılay Mahallesi"),
        ("İncesu", "INCESU"),
        ("Kızılay Mah.", "kizilay"),
        ("100. YIL MH.", "100. Yıl Mahallesi"),
        ("Şehit  Cengiz   Karaca", "sehit cengiz karaca mahallesi"),
    ],
)
def test_name_key_matches_turkish_spellings(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_values_and_non_matches():
    assert name_key("KIZILAY MAHALLESİ") == "kizilay"
    assert name_key("100. Yıl Mahallesi") == "100 yil"
    assert name_key("Yenimahalle") == "yenimahalle"  # only a separate word is stripped
    assert name_key("Mahallesi") == "mahallesi"  # never stripped to nothing
    assert name_key("Arka Topraklık Mahallsi") != name_key("Arka Topraklık Mahallesi")
    assert name_key("Kızılay") != name_key("Kızılcaşar")


def test_turkish_casefold_dotted_and_dotless_i():
    assert turkish_casefold("IĞDIR") == "ığdır"
    assert turkish_casefold("İZMİR") == "izmir"
    assert turkish_casefold("INCESU") == "ıncesu"
    assert turkish_casefold("I\u0307NCESU") == "incesu"  # decomposed İ
