"""Random public ids and tracking codes (Crockford base32: no I, L, O or U to misread)."""

from __future__ import annotations

import hashlib
import random
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PUBLIC_ID_LENGTH = 10
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def random_code(length: int, rng: random.Random | None = None) -> str:
    """`length` characters of ALPHABET (5 bits each); from `rng` if given, else `secrets`.

    From `secrets`, one read of the OS generator for the whole code: each byte's low 5 bits
    pick a character, uniformly (256 is a multiple of 32).
    """
    if rng is not None:
        return "".join(rng.choice(ALPHABET) for _ in range(length))
    return "".join(ALPHABET[b & 31] for b in secrets.token_bytes(length))


def new_public_id(rng: random.Random | None = None, *, prefix: str = "") -> str:
    """10 characters, 50 random bits: short, not guessable, not sequential.

    `rng` and `prefix` are for generated data (the demo's "demo..." ids from a seeded
    stream); a prefix takes the place of random characters.
    """
    return prefix + random_code(PUBLIC_ID_LENGTH - len(prefix), rng).lower()


def new_tracking_code(rng: random.Random | None = None) -> str:
    """16 characters (80 random bits), shown in groups of four; seeded `rng` for the demo."""
    raw = random_code(16, rng)
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_tracking_code(code: str) -> str:
    """The code as stored: upper case, separators dropped, O/I/L read as 0/1/1."""
    return re.sub(r"[^0-9A-Z]", "", code.upper()).translate(_CONFUSABLE)


def hash_tracking_code(code: str) -> str:
    """SHA-256 of the normalised code; 80 random bits make a slow hash unnecessary."""
    return hashlib.sha256(normalise_tracking_code(code).encode()).hexdigest()
