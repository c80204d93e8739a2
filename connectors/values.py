"""Parsing the text values export files hold: timestamps, dates, months and amounts.

Every parser raises `ValueError` whose message says what was expected; readers turn
it into a `SourceFileError` naming the file, line and column with `cell()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from connectors.errors import SourceFileError

T = TypeVar("T")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# Thousands separators only in their proper places, so "1,2" is not read as 12.
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
# `1.234,50` or `12,5`: a decimal comma, which a comma-separated export cannot mean
# unambiguously (`1,234` is 1234 in one locale and 1.234 in another), so it is refused.
_DECIMAL_COMMA = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+)")
CURRENCY_SYMBOLS = "$€£¥"


def text(value: object) -> str | None:
    """A text cell: surrounding blanks removed; empty becomes `None`."""
    if value is None:
        return None
    stripped = (value if value.__class__ is str else str(value)).strip()
    return stripped or None


def parse_timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp as a naive UTC `datetime`; empty gives `None`.

    Offsets may be `Z`, `+00:00` or `+0800`; a value without an offset is taken as UTC
    (Amplitude writes `2025-03-04 10:11:12.345000` in UTC).
    """
    cleaned = text(value)
    if cleaned is None:
        return None
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(
            f"expected a timestamp such as 2025-03-04T10:11:12.000+0000, got {cleaned!r}"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def parse_date(value: object) -> date | None:
    """A `YYYY-MM-DD` date (or a `date` YAML already parsed); empty gives `None`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    cleaned = text(value)
    if cleaned is None:
        return None
    if _DATE.fullmatch(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    raise ValueError(f"expected a date YYYY-MM-DD, got {cleaned!r}")


def parse_month(value: str | None) -> date | None:
    """A `YYYY-MM` month as the date of its first day; empty gives `None`."""
    cleaned = text(value)
    if cleaned is None:
        return None
    match = _MONTH.fullmatch(cleaned)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError(f"expected a month YYYY-MM, got {cleaned!r}")


def parse_number(value: object) -> float | None:
    """A decimal number; empty gives `None`.

    Accepts thousands separators (`1,234.50`) and accounting negatives (`(1,234.50)`)
    because finance exports write amounts that way.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    cleaned = text(value)
    if cleaned is None:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    body = cleaned[1:-1].strip() if negative else cleaned
    if _GROUPED_NUMBER.fullmatch(body):
        body = body.replace(",", "")
    elif not _PLAIN_NUMBER.fullmatch(body):
        hint = ""
        if _DECIMAL_COMMA.fullmatch(body):
            hint = (
                "; decimal commas (1.234,50) are not read because 1,234 would mean two "
                "things: export numbers with a dot as the decimal separator"
            )
        elif any(symbol in body for symbol in CURRENCY_SYMBOLS):
            hint = "; write the amount without a currency symbol"
        raise ValueError(f"expected a number such as 1234.50 or 1,234.50, got {cleaned!r}{hint}")
    number = float(body)
    return -number if negative else number


def parse_money(value: object) -> tuple[float, str | None] | None:
    """An amount that may carry one currency symbol: `(number, symbol or None)`.

    Spreadsheet exports write `$1,234.50`, `-$12.00`, `($1,234.50)` or `1,234.50 €`;
    the symbol is returned so the reader can check it against the row's currency
    column (a `$` amount in a EUR row is an error, not a conversion). The number itself
    follows `parse_number`: decimal commas such as `€1.234,50` are refused.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), None
    cleaned = text(value)
    if cleaned is None:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    body = cleaned[1:-1].strip() if negative else cleaned
    sign = body[0] if body[:1] in ("-", "+") else ""
    body = body[len(sign) :].strip()
    symbol = None
    if body and body[0] in CURRENCY_SYMBOLS:
        symbol, body = body[0], body[1:].strip()
    elif body and body[-1] in CURRENCY_SYMBOLS:
        symbol, body = body[-1], body[:-1].strip()
    if symbol is None:
        number = parse_number(cleaned)
        return None if number is None else (number, None)
    try:
        number = parse_number(sign + body)
    except ValueError:
        comma = "; decimal commas (1.234,50) are not read" if _DECIMAL_COMMA.fullmatch(body) else ""
        raise ValueError(
            f"expected an amount such as 1,234.50 or {symbol}1,234.50, got {cleaned!r}{comma}"
        ) from None
    if number is None:
        raise ValueError(f"expected an amount after {symbol}, got {cleaned!r}")
    return (-number if negative else number), symbol


def cell(
    parse: Callable[[str | None], T],
    value: str | None,
    path: Path | str,
    line: int | None,
    column: str | None,
) -> T:
    """Apply `parse` to one value; a failure names the file, line and column."""
    try:
        return parse(value)
    except ValueError as error:
        raise SourceFileError(path, line, column, str(error)) from None


def required(value: T | None, path: Path | str, line: int | None, column: str) -> T:
    """`value`, or a `SourceFileError` saying the column must not be empty."""
    if value is None:
        raise SourceFileError(path, line, column, "expected a value, got an empty cell")
    return value
