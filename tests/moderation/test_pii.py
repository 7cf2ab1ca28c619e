"""Personal-data detectors on valid and invalid examples."""

from __future__ import annotations

import pytest

from app.services.moderation.pii import (
    find_emails,
    find_phones,
    find_plates,
    find_tc_kimlik,
    find_urls,
    is_valid_tc_kimlik,
    personal_data_hints,
    redact,
)


def texts(hints) -> list[str]:
    return [h.text for h in hints]


@pytest.mark.parametrize(
    "phone",
    [
        "0532 123 45 67",
        "05321234567",
        "0532-123-45-67",
        "0532.123.45.67",
        "+90 532 123 45 67",
        "+905321234567",
        "0090 532 123 4567",
        "532 123 45 67",
        "(0532) 123 45 67",
    ],
)
def test_mobile_numbers_are_found(phone):
    assert texts(find_phones(f"Beni ara: {phone}, akşam.")) == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "0312 123 45 67",  # a landline, not a mobile
        "Saat 22:30'da 5 kişi",
        "0532 123 45",  # too short
        "053212345678",  # too long
        "Kapı no 123, daire 45",
    ],
)
def test_non_mobile_numbers_are_not_phones(text):
    assert find_phones(text) == []


# Valid by the official checksum (d10, d11).
VALID_TC = ["10000000146", "12345678950", "11111111110"]
INVALID_TC = [
    "10000000147",  # wrong last digit
    "12345678951",  # wrong last digit
    "12345678960",  # wrong 10th digit
    "01234567890",  # starts with 0
    "1234567895",  # 10 digits
]


@pytest.mark.parametrize("number", VALID_TC)
def test_tc_kimlik_with_a_valid_checksum(number):
    assert is_valid_tc_kimlik(number)
    assert texts(find_tc_kimlik(f"TC: {number}.")) == [number]


@pytest.mark.parametrize("number", INVALID_TC)
def test_tc_kimlik_with_a_wrong_checksum_is_not_flagged(number):
    assert not is_valid_tc_kimlik(number)
    assert find_tc_kimlik(f"No: {number}") == []


@pytest.mark.parametrize("plate", ["06 ABC 123", "34 A 1234", "35AB123", "81 ZZ 1234", "01 ABC 12"])
def test_plates_are_found(plate):
    assert texts(find_plates(f"Araç {plate} beni takip etti")) == [plate]


@pytest.mark.parametrize(
    "text",
    ["00 ABC 123", "82 ABC 123", "06 ABCD 123", "06 A 12", "06 ABC 12345", "34 QWX 123"],
)
def test_non_plates_are_not_flagged(text):
    assert find_plates(text) == []


@pytest.mark.parametrize("email", ["ayse.yilmaz@example.com", "a+b@mail.co.uk", "x_1@ornek.com.tr"])
def test_emails_are_found(email):
    assert texts(find_emails(f"Yazın: {email} lütfen")) == [email]


@pytest.mark.parametrize("text", ["ayse@", "@example.com", "ayse at example dot com"])
def test_non_emails_are_not_flagged(text):
    assert find_emails(text) == []


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=1", "http://x.io", "www.ornek.com.tr", "instagram.com/ayse"]
)
def test_urls_are_found(url):
    assert texts(find_urls(f"Bakın {url} burada")) == [url]


@pytest.mark.parametrize("text", ["Sokak lambası yanmıyor.", "saat 10.30", "1.5 km ileride"])
def test_plain_text_has_no_urls(text):
    assert find_urls(text) == []


def test_hints_do_not_overlap_and_redaction_replaces_each():
    text = "TC 10000000146, tel +90 532 123 45 67, mail ayse@ornek.com, araç 06 ABC 123."
    hints = personal_data_hints(text)
    assert [h.kind for h in hints] == ["tc_kimlik", "phone", "email", "plate"]
    assert redact(text, hints) == ("TC [TC kimlik], tel [telefon], mail [e-posta], araç [plaka].")
    assert personal_data_hints("Köşedeki lamba kırık.") == []
