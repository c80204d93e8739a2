"""Password hashes for the dashboards' password sign-in: scrypt, compared in constant time.

A hash reads `scrypt$16384$8$1$<salt hex>$<key hex>`, so the cost can be raised later
without invalidating old hashes. `productops hash-password` prints one for the access
file; the password itself is never stored, logged or shown.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SCHEME = "scrypt"
COST_N, BLOCK_R, PARALLEL_P = 2**14, 8, 1  # ~16 MB and ~50 ms per check
SALT_BYTES, KEY_BYTES = 16, 32
# Checked against when a user name is unknown, so a wrong name costs as much time as a
# wrong password and does not reveal which names exist.
_DECOY_SALT = bytes(SALT_BYTES)


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=256 * 1024 * 1024
    )


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password` for the access file's `password_hash`."""
    if not password:
        raise ValueError("an empty password cannot be hashed")
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, COST_N, BLOCK_R, PARALLEL_P)
    return f"{SCHEME}${COST_N}${BLOCK_R}${PARALLEL_P}${salt.hex()}${key.hex()}"


def is_hash(text: str) -> bool:
    """Whether `text` has the shape of a hash this module writes."""
    parts = text.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        (
            int(parts[1]),
            int(parts[2]),
            int(parts[3]),
            bytes.fromhex(parts[4]),
            bytes.fromhex(parts[5]),
        )
    except ValueError:
        return False
    return True


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the hash `stored`; False (at the same cost) when None."""
    if stored is None or not is_hash(stored):
        _derive(password, _DECOY_SALT, COST_N, BLOCK_R, PARALLEL_P)
        return False
    _, n, r, p, salt, key = stored.split("$")
    derived = _derive(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(derived, bytes.fromhex(key))


def matches_shared(password: str, shared: str | None) -> bool:
    """Whether `password` equals the shared password, without a timing side channel.

    Both are hashed first so the comparison does not even leak the length.
    """
    if not shared:
        return False
    return hmac.compare_digest(
        hashlib.sha256(password.encode()).digest(), hashlib.sha256(shared.encode()).digest()
    )
