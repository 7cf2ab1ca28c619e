"""Turkish-aware name normalisation, so "KIZILAY MAHALLESİ" and "Kızılay Mah." match."""

from __future__ import annotations

import re
import unicodedata

# Python's lower() maps "I" to "i" and "İ" to "i̇" (i + combining dot); Turkish maps them to
# "ı" and "i". Translating first makes casefold() right for Turkish text.
_TURKISH_UPPER_I = str.maketrans({"I": "ı", "İ": "i"})
_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_WORD = re.compile(r"[\W_]+")
# Trailing words that only say "neighbourhood" (after punctuation is dropped: "mah." is "mah").
_MAHALLE_WORDS = frozenset({"mahallesi", "mah", "mh"})


def turkish_casefold(text: str) -> str:
    """Lower-case with Turkish dotted/dotless i rules ("IĞDIR" -> "ığdır", "İZMİR" -> "izmir")."""
    return unicodedata.normalize("NFC", text).translate(_TURKISH_UPPER_I).casefold()


def ascii_fold(text: str) -> str:
    """Drop diacritics (ç->c, ğ->g, ı->i, ö->o, ş->s, ü->u, â->a) for lenient matching."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(text: str | None) -> str:
    """The matching key of a place name: Turkish casefold, no "mahallesi", no punctuation, ASCII."""
    if not text:
        return ""
    folded = ascii_fold(turkish_casefold(text))
    folded = _APOSTROPHES.sub("", folded)
    words = _NOT_WORD.sub(" ", folded).split()
    while len(words) > 1 and words[-1] in _MAHALLE_WORDS:
        words.pop()
    return " ".join(words)
