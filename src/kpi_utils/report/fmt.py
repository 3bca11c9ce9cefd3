"""Numbers, percentages and months as readers expect them, through Babel's locale data.

vi (vi_VN): `1.234`, `55,0%`, `tháng 6/2022`; en: `1,234`, `55.0%`, `June 2022`.
Missing values (None, NA, NaN) format as an en dash. Rounding is Babel's (half-even).
"""

from __future__ import annotations

import datetime
import math
import zoneinfo

import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LOCALES = {"vi": "vi_VN", "en": "en"}
# Readers are in Hòa Bình: every moment shown (a build time) is in Vietnam's time, said as such.
TIME_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
_ZONE_NAMES = {"vi": "giờ Việt Nam", "en": "Vietnam time, UTC+7"}
MISSING = "–"
_MONTH_PATTERNS = {"vi": "'tháng' M/y", "en": "MMMM y"}
_SHORT_MONTH_PATTERNS = {"vi": "'T'M", "en": "MMM"}


def locale(lang: str) -> str:
    """The Babel locale of a report language; only `vi` and `en` are known."""
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LOCALES)}") from None


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def number(value: object, lang: str = "vi") -> str:
    """An integer count with thousands separators: 1234 -> `1.234` (vi), `1,234` (en)."""
    if is_missing(value):
        return MISSING
    return format_decimal(value, format="#,##0", locale=locale(lang))


def decimal(value: object, lang: str = "vi", digits: int = 1) -> str:
    """A decimal number: 1.44 -> `1,4` (vi), `1.4` (en)."""
    if is_missing(value):
        return MISSING
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=locale(lang))


def percent(rate: object, lang: str = "vi", digits: int = 1) -> str:
    """A rate (0.55) as a percentage: `55,0%` (vi), `55.0%` (en)."""
    if is_missing(rate):
        return MISSING
    pattern = ("#,##0." + "0" * digits if digits else "#,##0") + "%"
    return format_percent(rate, format=pattern, locale=locale(lang))


def target(rate: object, lang: str = "vi") -> str:
    """A target as the decision writes it: 0.55 -> `55%`; 0.555 -> `55,5%` (no trailing zero)."""
    if is_missing(rate):
        return MISSING
    whole = round(float(rate) * 100, 6).is_integer()
    return percent(rate, lang, digits=0 if whole else 1)


def date(value: datetime.date, lang: str = "vi") -> str:
    """A day: `31/12/2022` (vi), `31 December 2022` (en)."""
    pattern = "dd/MM/y" if lang == "vi" else "d MMMM y"
    return format_date(value, pattern, locale=locale(lang))


def last_day(month: str | pd.Period) -> datetime.date:
    """The last day of a month: 2022-12 -> 31 December 2022."""
    return pd.Period(month, freq="M").end_time.date()


def points(value: object, lang: str = "vi", digits: int = 1) -> str:
    """Percentage points with a sign: 1.44 -> `+1,4`, -0.3 -> `-0,3` (vi)."""
    if is_missing(value):
        return MISSING
    decimals = "0" * digits
    pattern = f"+#,##0.{decimals};-#,##0.{decimals}" if digits else "+#,##0;-#,##0"
    return format_decimal(value, format=pattern, locale=locale(lang))


def _first_day(month: str | pd.Period) -> datetime.date:
    period = pd.Period(month, freq="M")
    return datetime.date(period.year, period.month, 1)


def month(value: str | pd.Period | None, lang: str = "vi") -> str:
    """A month in words: 2022-06 -> `tháng 6/2022` (vi), `June 2022` (en)."""
    loc = locale(lang)
    if is_missing(value):
        return MISSING
    return format_date(_first_day(value), _MONTH_PATTERNS[lang], locale=loc)


def month_short(value: str | pd.Period, lang: str = "vi") -> str:
    """A month within a known year, for chart axes: 2022-06 -> `T6` (vi), `Jun` (en)."""
    loc = locale(lang)
    return format_date(_first_day(value), _SHORT_MONTH_PATTERNS[lang], locale=loc)


def timestamp(value: datetime.datetime, lang: str = "vi") -> str:
    """A moment, e.g. a build time: `28/11/2026 02:30` (vi), `Nov 28, 2026, 2:30 AM` (en)."""
    loc = locale(lang)
    pattern = "dd/MM/y HH:mm" if lang == "vi" else "MMM d, y, h:mm a"
    return format_datetime(value, pattern, locale=loc)


def local_time(value: datetime.datetime, lang: str = "vi") -> str:
    """A moment in Vietnam's time, said as such: 2026-12-02 04:40 UTC ->
    `02/12/2026 11:40 (giờ Việt Nam)` (vi), `Dec 2, 2026, 11:40 AM (Vietnam time, UTC+7)` (en).

    A naive datetime is refused: which zone it was taken in is unknown.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a moment without a time zone cannot be shown: {value.isoformat()}")
    return f"{timestamp(value.astimezone(TIME_ZONE), lang)} ({_ZONE_NAMES[lang]})"
