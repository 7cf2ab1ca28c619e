"""Random public ids and tracking codes (Crockford base32: no I, L, O or U to misread)."""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_code(length: int, rng: secrets.SystemRandom | None = None) -> str:
    choice = rng.choice if rng is not None else secrets.choice
    return "".join(choice(ALPHABET) for _ in range(length))


def new_public_id() -> str:
    """10 characters, 50 random bits: short, not guessable, not sequential."""
    return random_code(10).lower()


def new_tracking_code() -> str:
    """16 characters (80 random bits), shown in groups of four."""
    raw = random_code(16)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_tracking_code(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", code.upper()).translate(_CONFUSABLE)


def hash_tracking_code(code: str) -> str:
    """SHA-256 of the normalised code; 80 random bits make a slow hash unnecessary."""
    return hashlib.sha256(normalise_tracking_code(code).encode()).hexdigest()
