"""Personal-data hints for moderators: plain detectors over a report's text.

Each detector returns `Hint`s (kind, span, matched text, suggested replacement). They are
hints, not decisions: a volunteer reads them and redacts with one click. Detectors err on the
side of flagging (a false hint costs a glance; a missed phone number can cost much more),
except TC kimlik numbers, which must pass the official checksum.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hint:
    kind: str  # phone | tc_kimlik | plate | email | url
    start: int
    end: int
    text: str
    replacement: str


REPLACEMENTS = {
    "phone": "[telefon]",
    "tc_kimlik": "[TC kimlik]",
    "plate": "[plaka]",
    "email": "[e-posta]",
    "url": "[bağlantı]",
}

_SEP = r"[\s.\-]?"
# 05xx xxx xx xx, 5xx xxx xx xx, +90 5xx ..., 0090 5xx ..., (0532) ..., separators: space . -
_PHONE = re.compile(
    r"(?<![\d+(])\(?(?:(?:\+|00)90"
    + _SEP
    + r"|0)?\(?5\d{2}\)?"
    + _SEP
    + r"\d{3}"
    + _SEP
    + r"\d{2}"
    + _SEP
    + r"\d{2}(?!\d)"
)
_ELEVEN_DIGITS = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")
# Province code 01-81, 1-3 letters, 2-4 digits (06 ABC 123, 34 A 1234, 35AB123).
_PLATE = re.compile(
    r"(?<![\w])(0[1-9]|[1-7]\d|8[01])\s?([A-PR-VYZ]{1,3})\s?(\d{2,4})(?![\w])", re.IGNORECASE
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|tr|io|me|info)"
    r"(?:\.tr)?(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


def is_valid_tc_kimlik(number: str) -> bool:
    """The official checksum of a Turkish identity number (11 digits, the first not 0)."""
    if len(number) != 11 or not number.isdigit() or number[0] == "0":
        return False
    d = [int(c) for c in number]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = sum(d[:10]) % 10
    return d[9] == d10 and d[10] == d11


def _hints(kind: str, matches: Iterable[re.Match[str]]) -> list[Hint]:
    return [Hint(kind, m.start(), m.end(), m.group(0), REPLACEMENTS[kind]) for m in matches]


def find_phones(text: str) -> list[Hint]:
    """Turkish mobile numbers: 05xx…, 5xx…, +90 5xx…, 0090 5xx…, with spaces, dots or dashes."""
    return _hints("phone", _PHONE.finditer(text))


def find_tc_kimlik(text: str) -> list[Hint]:
    """11-digit numbers that pass the TC kimlik checksum."""
    return _hints(
        "tc_kimlik", (m for m in _ELEVEN_DIGITS.finditer(text) if is_valid_tc_kimlik(m.group(0)))
    )


def find_plates(text: str) -> list[Hint]:
    """Turkish vehicle plates: province 01-81, 1-3 letters, 2-4 digits (06 ABC 123)."""
    found = []
    for m in _PLATE.finditer(text):
        letters, digits = m.group(2), m.group(3)
        # The official pattern: 1 letter + 4 digits, 2 letters + 3-4 digits, 3 letters + 2-3.
        if (len(letters), len(digits)) in {(1, 4), (2, 3), (2, 4), (3, 2), (3, 3)}:
            found.append(m)
    return _hints("plate", found)


def find_emails(text: str) -> list[Hint]:
    """E-mail addresses."""
    return _hints("email", _EMAIL.finditer(text))


def find_urls(text: str) -> list[Hint]:
    """Web addresses (http(s)://…, www.…, or a bare domain such as instagram.com/name)."""
    return _hints("url", _URL.finditer(text))


DETECTORS: tuple[Callable[[str], list[Hint]], ...] = (
    find_emails,  # before URLs: an e-mail's domain is not a separate URL
    find_tc_kimlik,  # before phones: an identity number is not a phone number
    find_phones,
    find_plates,
    find_urls,
)


def personal_data_hints(text: str) -> list[Hint]:
    """Every hint in `text`, in reading order, without overlaps (earlier detectors win)."""
    chosen: list[Hint] = []
    for detector in DETECTORS:
        for hint in detector(text):
            if all(hint.end <= h.start or hint.start >= h.end for h in chosen):
                chosen.append(hint)
    return sorted(chosen, key=lambda h: h.start)


def hint_kinds(text: str) -> list[str]:
    """The kinds of hint found in `text` (sorted, once each): what an audit event may name."""
    return sorted({hint.kind for hint in personal_data_hints(text)})


def redact(text: str, hints: Iterable[Hint]) -> str:
    """`text` with each hinted span replaced by its placeholder."""
    result = text
    for hint in sorted(hints, key=lambda h: h.start, reverse=True):
        result = result[: hint.start] + hint.replacement + result[hint.end :]
    return result
