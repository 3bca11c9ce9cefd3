"""Parsing single cell values: months, dossier counts, target rates.

Each parser returns `(value, None)` or `(None, message)`; the message is a plain sentence that
the caller places in a `Problem` with the file, row and column it knows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pandas as pd

# A date written out with a midnight time, as pandas and some exports write date cells.
_MIDNIGHT = re.compile(r"[ t]00:00(?::00(?:\.0+)?)?$")
_MONTH_PATTERNS = (
    # 2022-06, 2022/06, 2022-06-01, 2022.06.01 (not 2022.06 alone: see _NUMBER_TEXT)
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.]\d{1,2})?$"),
    # 06/2022, 6/2022, 06-2022, T06/2022, Tháng 6/2022, tháng 06 - 2022
    re.compile(r"^(?:t|tháng)?\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})$"),
    # Tháng 6 năm 2022
    re.compile(r"^(?:t|tháng)\s*(?P<m>\d{1,2})\s*(?:năm|/)\s*(?P<y>\d{4})$"),
    # 01/06/2022: a month's date cell saved to CSV by Excel in Vietnamese (day-first) order.
    # Only day 1 is a month: the same cell saved month-first ("6/1/2022") is then refused,
    # never read as January.
    re.compile(r"^0?1[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$"),
)


# A workbook number saved to CSV as text: Excel writes October typed as 2022.10 as "2022.1",
# which cannot be told from January, so every such number is refused as it is in a workbook.
_NUMBER_TEXT = re.compile(r"^\d{4}\.\d{1,2}$")
_NUMBER_MESSAGE = "a number, not a month: type it as text (2022-06) or enter a date"


@functools.cache
def _period(year: int, month: int) -> pd.Period:
    # Building a Period is slow next to the parsing, and a file names few distinct months.
    return pd.Period(year=year, month=month, freq="M")


def parse_month(value: object) -> tuple[pd.Period | None, str | None]:
    """A calendar month from `2022-06`, `06/2022`, `6/2022`, `T06/2022`, `Tháng 6/2022` or a date."""
    if isinstance(value, datetime | date):
        return _period(value.year, value.month), None
    if isinstance(value, float):
        # A workbook number: "2022.10" is stored as 2022.1, indistinguishable from January.
        return None, _NUMBER_MESSAGE
    text = " ".join(unicodedata.normalize("NFC", str(value)).split()).casefold()
    text = _MIDNIGHT.sub("", text)
    if _NUMBER_TEXT.match(text):
        return None, _NUMBER_MESSAGE
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match["y"]), int(match["m"])
            if 1 <= month <= 12 and 1990 <= year <= 2100:
                return _period(year, month), None
            return None, f"month {month} of year {year} is not a valid calendar month"
    return None, "not a month (write it as 2022-06, 06/2022, T06/2022 or Tháng 6/2022)"


# What `tables` leaves in a cell whose formula was never calculated is the formula itself.
UNCALCULATED = "a formula without a saved value: open the workbook in Excel and save it again"
# No unit handles a billion dossiers a month; anything above is a typing or export error.
MAX_COUNT = 10**9
_GROUPED = re.compile(r"^\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def parse_count(value: object) -> tuple[int | None, str | None]:
    """A dossier count: a whole number ≥ 0. Accepts `1234`, `1.234`, `1,234`, `1 234`, `12.0`."""
    if isinstance(value, bool):
        return None, "not a number of dossiers"
    if isinstance(value, int):
        number: Decimal = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "not a number of dossiers"
        number = Decimal(repr(value))
    else:
        text = _SPACES.sub("", str(value))
        if text.startswith("="):
            return None, UNCALCULATED
        if _GROUPED.match(text):
            text = re.sub(r"[.,]", "", text)
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None, "not a number of dossiers"
        if not number.is_finite():
            return None, "not a number of dossiers"
    if number < 0:
        return None, "a negative count of dossiers"
    if number > MAX_COUNT:
        # Also keeps the tidy frame's int64 columns from overflowing.
        return None, f"too large for a count of dossiers (more than {MAX_COUNT:,})"
    if number != number.to_integral_value():
        return None, "not a whole number of dossiers"
    return int(number), None


def parse_rate(value: object) -> tuple[float | None, str | None]:
    """A target rate as a fraction: `55%`, `55`, `0.55`, `0,55` or a percent-formatted cell (0.55).

    Parsed through Decimal so that `55%` becomes the float nearest 0.55, whose shortest repr is
    "0.55": `kpi.exact_rate` recovers 11/20 from it exactly.
    """
    if isinstance(value, bool):
        return None, "not a rate"
    text = _SPACES.sub("", str(value))
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%").replace(",", "."))
    except InvalidOperation:
        return None, "not a rate (write it as 55% or 0.55)"
    if not number.is_finite():
        return None, "not a rate (write it as 55% or 0.55)"
    if percent or number > 1:
        number = number / 100
    if not 0 < number <= 1:
        return None, "a target rate must be above 0% and at most 100%"
    return float(number), None


def parse_year(value: object) -> tuple[int | None, str | None]:
    count, message = parse_count(value)
    if count is None or not 1990 <= count <= 2100:
        return None, "not a year"
    return count, None
