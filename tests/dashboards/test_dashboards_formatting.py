"""KPI figures read the way a CPO reads them on a slide."""

from __future__ import annotations

import math

import pytest

from dashboards.formatting import money, percent, table_money_format


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (2_124_000, "USD", "$2.1M"),
        (1_392_000, "USD", "$1.4M"),
        (732_000, "USD", "$732K"),
        (-180_000, "USD", "-$180K"),
        (999_950, "USD", "$1.0M"),
        (999_400, "USD", "$999K"),
        (1_530_000_000, "USD", "$1.5B"),
        (850, "USD", "$850"),
        (0, "USD", "$0"),
        (1_200_000, "EUR", "€1.2M"),
        (1_200_000, "CHF", "CHF 1.2M"),
    ],
)
def test_money_is_short_and_signed(value: float, currency: str, shown: str) -> None:
    assert money(value, currency) == shown


def test_missing_values_show_a_dash_not_nan() -> None:
    assert money(None) == "—"
    assert money(math.nan) == "—"
    assert percent(None) == "—"
    assert percent(math.nan) == "—"


def test_percent_has_one_decimal() -> None:
    assert percent(1_392_000 / 2_124_000) == "65.5%"
    assert percent(1.75) == "175.0%"


def test_table_format_falls_back_for_currencies_streamlit_has_no_symbol_for() -> None:
    assert table_money_format("USD") == "dollar"
    assert table_money_format("GBP") == "localized"
