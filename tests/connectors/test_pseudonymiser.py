"""Pseudonyms: keyed, stable, short, and never a shared identity for missing values."""

from __future__ import annotations

import pytest

from connectors.pseudonymise import make_pseudonymiser, person_key


def test_pseudonym_is_the_first_16_hex_of_hmac_sha256() -> None:
    # Known answer for HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog").
    pseudonymise = make_pseudonymiser(b"key")
    assert pseudonymise("The quick brown fox jumps over the lazy dog") == "f7bc83f430538424"


def test_another_key_gives_other_pseudonyms() -> None:
    assert make_pseudonymiser(b"a")("user:1") != make_pseudonymiser(b"b")("user:1")


def test_missing_values_stay_missing() -> None:
    pseudonymise = make_pseudonymiser(b"key")
    assert pseudonymise(None) is None
    assert person_key(pseudonymise, None) is None
    assert person_key(pseudonymise, "   ") is None


def test_person_key_ignores_case_and_surrounding_blanks() -> None:
    pseudonymise = make_pseudonymiser(b"key")
    assert person_key(pseudonymise, "  Ada@Example.COM ") == pseudonymise("ada@example.com")


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        make_pseudonymiser(b"")
