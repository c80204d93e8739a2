"""Keyed pseudonyms: people and ids are replaced at the door, before anything lands.

A pseudonym is the first 16 hex characters of HMAC-SHA256(key, value). The same key
gives the same pseudonym in every source, so an HR row and a Jira assignee join on
`person_key` without anyone's e-mail address being stored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from functools import lru_cache

Pseudonymiser = Callable[[str | None], str | None]


def make_pseudonymiser(key: bytes) -> Pseudonymiser:
    """Return `pseudonymise(value)`: HMAC-SHA256 keyed by `key`, first 16 hex chars.

    `None` stays `None` so a missing value never becomes a shared fake identity.
    """
    if not key:
        # An empty key would make pseudonyms a plain, reversible-by-dictionary hash.
        raise ValueError("the pseudonym key must not be empty")

    # Analytics repeats the same user ids millions of times; hashing each once is enough.
    @lru_cache(maxsize=262_144)
    def _digest(value: str) -> str:
        return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def pseudonymise(value: str | None) -> str | None:
        if value is None:
            return None
        return _digest(value)

    return pseudonymise


def person_key(pseudonymise: Pseudonymiser, email: str | None) -> str | None:
    """The pseudonym of a person known by e-mail: `pseudonymise(lower(strip(email)))`.

    Blank addresses give `None`, not the pseudonym of the empty string.
    """
    if email is None:
        return None
    normalised = email.strip().lower()
    return pseudonymise(normalised) if normalised else None
