"""The admin PIN that unlocks a kiosk, kept in config.toml only as a salted scrypt hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_N, _R, _P = 16384, 8, 1
DEFAULT_PIN = "2468"  # what the shipped config.toml's hash stands for: everyone can read it


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check; a malformed stored hash never matches."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            pin.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


def is_default_pin(stored: str) -> bool:
    """Whether ``stored`` is a hash of the factory PIN, whatever its salt."""
    return bool(stored) and verify_pin(DEFAULT_PIN, stored)
