"""How amounts and ratios read on a dashboard or a slide: `$1.2M`, `65.5%`."""

from __future__ import annotations

import math

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
MISSING = "—"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, currency: str = "USD") -> str:
    """A short money figure: 1_234_567 → `$1.2M`, 732_000 → `$732K`, -180_000 → `-$180K`.

    Thousands are shown whole and millions/billions to one decimal, which is the
    precision a KPI tile or a board slide needs; exact figures live in the tables.
    """
    if _is_missing(value):
        return MISSING
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    size = abs(value)
    # Compare rounded figures so 999_950 reads `$1.0M`, not `$1000K`.
    if round(size / 1e6, 1) >= 1000:
        text = f"{size / 1e9:.1f}B"
    elif round(size / 1e3) >= 1000:
        text = f"{size / 1e6:.1f}M"
    elif round(size) >= 1000:
        text = f"{size / 1e3:.0f}K"
    else:
        text = f"{size:.0f}"
    return f"{sign}{symbol}{text}"


def percent(value: float | None, decimals: int = 1) -> str:
    """A ratio as a percentage: 0.6554 → `65.5%`; missing (e.g. no revenue) → `—`."""
    if _is_missing(value):
        return MISSING
    return f"{value * 100:.{decimals}f}%"


# Streamlit's built-in column formats for the currencies it knows; the rest get
# grouped digits and the currency named in the page caption.
TABLE_MONEY_FORMATS = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}


def table_money_format(currency: str) -> str:
    """The `st.column_config.NumberColumn` format for exact amounts in `currency`."""
    return TABLE_MONEY_FORMATS.get(currency, "localized")


def number(value: float | None, decimals: int = 0) -> str:
    """A count or measure with thousands separators: 12345 → `12,345`; missing → `—`."""
    if _is_missing(value):
        return MISSING
    return f"{value:,.{decimals}f}"


def days(value: float | None) -> str:
    """A duration in whole days: 72.0 → `72 days`, 1 → `1 day`; missing → `—`."""
    if _is_missing(value):
        return MISSING
    rounded = round(value)
    return f"{rounded:,} day" + ("" if rounded == 1 else "s")


def signed_money(value: float | None, currency: str = "USD") -> str:
    """A change in money with its sign: `+$1.2M`, `-$180K`; missing → `—`."""
    if _is_missing(value):
        return MISSING
    return ("+" if value >= 0 else "") + money(value, currency)


def points(value: float | None) -> str:
    """A change between two ratios in percentage points: 0.032 → `+3.2 pp`."""
    if _is_missing(value):
        return MISSING
    return f"{value * 100:+.1f} pp"


def signed_number(value: float | None, unit: str = "") -> str:
    """A change in a count or measure with its sign: `+3`, `-12 days`; missing → `—`."""
    if _is_missing(value):
        return MISSING
    text = f"{value:+,.0f}"
    return f"{text} {unit}".rstrip()
